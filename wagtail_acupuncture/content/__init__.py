"""The content core: what every output of the package reads, computed once per response.

The bottom layer of the package, below the models' outputs (HTML templates, the API,
structured data) and delivery (invalidation, purges, webhooks, the render cache):

* :mod:`.visibility` - which pages and documents may be shown or linked to, as query expressions;
* :mod:`.richtext` - the one rich-text expander and its link policy;
* :mod:`.images` - renditions, fetched together;
* :mod:`.body` - the one walk of a StreamField body: references, rich text, outline, text, FAQ;
* :mod:`.resolver` - :class:`~.resolver.ContentResolver`, the bulk fetch of everything a response
  refers to, and the plain values built from it;
* :mod:`.representation` - the API representation of any block, an agency's own included;
* :mod:`.related` - an article's related articles.

Nothing here imports the package's models, blocks or outputs at import time: models are looked
up through the app registry, so the models and blocks can import this layer.
"""
