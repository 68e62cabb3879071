from wagtail.snippets.models import register_snippet

from .models import Partner

register_snippet(Partner)
