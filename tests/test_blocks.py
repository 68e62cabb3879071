import datetime

import pytest
from django.core.exceptions import ValidationError
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from wagtail.blocks.list_block import ListBlockValidationError
from wagtail.blocks.struct_block import StructBlockValidationError

from tests.factories import TreatmentFactory, make_article
from wagtail_acupuncture.blocks import (
    ArticleStreamBlock,
    BookingCTABlock,
    FAQBlock,
    HeadingBlock,
    ImageBlock,
    KeyPointsBlock,
    NoticeBlock,
    QuoteBlock,
    RelatedTreatmentsBlock,
)

STREAM = ArticleStreamBlock()
CONTRACT = {
    "heading": {"text", "level", "anchor"},
    "paragraph": None,
    "key_points": {"heading", "items"},
    "image": {"image", "caption", "alt_text"},
    "quote": {"text", "attribution"},
    "faq": {"heading", "intro", "items", "structured_data"},
    "booking_cta": {"heading", "text", "button_label", "link_url", "link_page", "placement"},
    "notice": {"text", "tone", "starts_at", "ends_at"},
    "related_treatments": {"heading", "treatments"},
    "references": {"heading", "items"},
}


def test_stream_type_names_and_children_are_the_contract():
    assert list(STREAM.child_blocks) == list(CONTRACT)
    for name, children in CONTRACT.items():
        block = STREAM.child_blocks[name]
        if children is not None:
            assert set(block.child_blocks) == children, name


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(CONTRACT))
def test_every_block_sets_its_full_meta_and_previews(name, client, django_user_model):
    from wagtail.models import Page

    from wagtail_acupuncture.models import ArticlePage

    block = ArticlePage._meta.get_field("body").stream_block.child_blocks[name]
    for option in ("icon", "label", "group", "description", "template", "preview_value"):
        assert getattr(block.meta, option, None), (name, option)
    assert block.meta.template.startswith("wagtail_acupuncture/blocks/")
    get_template(block.meta.template)
    assert block.is_previewable
    assert Page.objects.exists()
    client.force_login(django_user_model.objects.create_superuser("e", "e@example.com", "pw"))
    response = client.get(reverse("wagtailadmin_block_preview"), {"id": block.definition_prefix})
    assert response.status_code == 200
    assert "wagtail_acupuncture/css/acupuncture.css" in response.content.decode()


def clean(block, raw):
    return block.clean(block.to_python(raw))


def block_errors(exc):
    return exc.as_json_data()


class TestFAQ:
    block = FAQBlock()

    def raw(self, **kwargs):
        value = {
            "heading": "Frequently Asked Questions",
            "items": [{"question": "Is acupuncture painful?", "answer": "<p>Usually painless.</p>"}],
            "structured_data": True,
        }
        value.update(kwargs)
        return value

    def test_valid(self):
        value = clean(self.block, self.raw())
        assert value["items"][0]["question"] == "Is acupuncture painful?"

    @pytest.mark.parametrize("answer", ["", "<p></p>", "<p> &nbsp; </p>", "<p><br/></p>"])
    def test_empty_answer_is_refused_at_the_field(self, answer):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(self.block, self.raw(items=[{"question": "Q?", "answer": answer}]))
        errors = block_errors(exc.value)
        assert errors["blockErrors"]["items"]["blockErrors"][0]["blockErrors"]["answer"]["messages"]

    def test_empty_question_is_refused(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(self.block, self.raw(items=[{"question": "", "answer": "<p>A.</p>"}]))
        assert "question" in block_errors(exc.value)["blockErrors"]["items"]["blockErrors"][0]["blockErrors"]

    def test_at_least_one_item(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(self.block, self.raw(items=[]))
        assert isinstance(exc.value.block_errors["items"], ListBlockValidationError)

    def test_new_faq_starts_with_one_empty_question(self):
        default = self.block.get_default()
        assert len(default["items"]) == 1
        assert default["items"][0]["question"] == ""
        assert default["structured_data"] is True

    def test_renders_accessible_disclosures_with_unique_ids(self):
        value = self.block.to_python(
            self.raw(
                items=[
                    {"question": "One <b>?</b>", "answer": "<p>First.</p>"},
                    {"question": "Two?", "answer": "<p>Second.</p>"},
                ]
            )
        )
        html = self.block.render(value, context={"item_tag": "h3", "heading_tag": "h2", "anchor": "faq"})
        assert html.count("<details") == 2
        assert html.count("<summary") == 2
        assert "One &lt;b&gt;?&lt;/b&gt;" in html
        ids = [child.id for child in value["items"].bound_blocks]
        assert len(set(ids)) == 2
        for item_id in ids:
            assert f'id="faq-{item_id}"' in html
        assert '<h2 class="acu-faq__heading" id="faq">' in html
        assert '<h3 class="acu-faq__question">' in html


class TestBookingCTA:
    block = BookingCTABlock()

    @pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "/book/", "ftp://x.example.com"])
    def test_unsafe_link_is_refused_at_the_field(self, url):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(self.block, {"link_url": url, "placement": "inline"})
        assert "link_url" in exc.value.block_errors

    @pytest.mark.parametrize("url", ["https://b.example.com/", "tel:+15035550100", "mailto:a@example.com"])
    def test_safe_links_are_accepted(self, url):
        assert clean(self.block, {"link_url": url, "placement": "inline"})["link_url"] == url

    def test_all_fields_optional_and_placement_defaults(self):
        value = clean(self.block, {})
        assert value["placement"] == "inline"


class TestNotice:
    block = NoticeBlock()

    def test_end_before_start_is_refused_at_the_end_field(self):
        start = timezone.now()
        with pytest.raises(StructBlockValidationError) as exc:
            clean(
                self.block,
                {
                    "text": "<p>x</p>",
                    "tone": "info",
                    "starts_at": start.isoformat(),
                    "ends_at": (start - datetime.timedelta(days=1)).isoformat(),
                },
            )
        assert set(exc.value.block_errors) == {"ends_at"}

    def test_text_required(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(self.block, {"text": "<p></p>", "tone": "info", "starts_at": timezone.now().isoformat()})
        assert "text" in exc.value.block_errors

    def test_start_required(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(self.block, {"text": "<p>x</p>", "tone": "info"})
        assert "starts_at" in exc.value.block_errors

    def test_window(self):
        now = timezone.now()
        value = self.block.to_python(
            {
                "text": "<p>Use your benefits</p>",
                "tone": "seasonal",
                "starts_at": (now - datetime.timedelta(days=1)).isoformat(),
                "ends_at": (now + datetime.timedelta(days=1)).isoformat(),
            }
        )
        assert value.active
        assert not value.is_active(now - datetime.timedelta(days=2))
        assert not value.is_active(now + datetime.timedelta(days=1))
        assert value.is_active(now + datetime.timedelta(hours=23))
        assert "Use your benefits" in self.block.render(value)

    def test_outside_window_renders_nothing(self):
        now = timezone.now()
        future = self.block.to_python(
            {"text": "<p>Later</p>", "tone": "info", "starts_at": (now + datetime.timedelta(hours=1)).isoformat()}
        )
        past = self.block.to_python(
            {
                "text": "<p>Gone</p>",
                "tone": "info",
                "starts_at": (now - datetime.timedelta(days=3)).isoformat(),
                "ends_at": (now - datetime.timedelta(days=1)).isoformat(),
            }
        )
        assert self.block.render(future).strip() == ""
        assert self.block.render(past).strip() == ""

    def test_open_ended_notice_stays(self):
        value = self.block.to_python(
            {"text": "<p>x</p>", "tone": "info", "starts_at": (timezone.now() - datetime.timedelta(days=400)).isoformat()}
        )
        assert value.active


class TestOtherBlocks:
    def test_heading_anchor_must_be_a_slug(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(HeadingBlock(), {"text": "Hi", "level": "h2", "anchor": "not a slug!"})
        assert "anchor" in exc.value.block_errors

    def test_heading_level_choices(self):
        with pytest.raises(StructBlockValidationError):
            clean(HeadingBlock(), {"text": "Hi", "level": "h1", "anchor": ""})

    def test_key_points_need_items_with_title_and_text(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(KeyPointsBlock(), {"heading": "", "items": [{"title": "Endorphin Release", "text": "<p></p>"}]})
        assert "items" in exc.value.block_errors
        with pytest.raises(StructBlockValidationError):
            clean(KeyPointsBlock(), {"heading": "", "items": []})

    def test_image_is_required_in_image_block(self):
        with pytest.raises(StructBlockValidationError) as exc:
            clean(ImageBlock(), {"image": None, "caption": "", "alt_text": ""})
        assert "image" in exc.value.block_errors

    def test_quote_text_required(self):
        with pytest.raises(StructBlockValidationError):
            clean(QuoteBlock(), {"text": "", "attribution": "x"})

    def test_paragraph_refuses_empty_rich_text(self):
        with pytest.raises(ValidationError):
            clean(STREAM.child_blocks["paragraph"], "<p> </p>")

    def test_quote_escapes_text(self):
        value = QuoteBlock().to_python({"text": "<script>alert(1)</script>", "attribution": '"Me" <i>'})
        html = QuoteBlock().render(value)
        assert "<script>" not in html
        assert "&lt;script&gt;" in html
        assert "&quot;Me&quot; &lt;i&gt;" in html


@pytest.mark.django_db
class TestRelatedTreatmentsBlock:
    def test_unpublished_treatments_never_render(self):
        live = TreatmentFactory(name="Acupuncture for Migraines")
        draft = TreatmentFactory(name="Secret draft treatment", live=False)
        block = RelatedTreatmentsBlock()
        value = block.to_python({"heading": "Related", "treatments": [live.pk, draft.pk]})
        html = block.render(value)
        assert "Acupuncture for Migraines" in html
        assert "Secret draft treatment" not in html

    def test_deleted_treatment_does_not_break_rendering(self):
        gone = TreatmentFactory(name="Gone")
        block = RelatedTreatmentsBlock()
        value = block.to_python({"heading": "Related", "treatments": [gone.pk]})
        gone.delete()
        value = block.to_python(block.get_prep_value(value))
        assert "Gone" not in block.render(value)


@pytest.mark.django_db
def test_stream_validation_reports_the_failing_child(index):
    raw = [
        {"type": "paragraph", "value": "<p>Fine</p>"},
        {"type": "faq", "value": {"heading": "F", "items": [{"question": "Q", "answer": ""}]}},
    ]
    with pytest.raises(ValidationError) as exc:
        STREAM.clean(STREAM.to_python(raw))
    assert 1 in exc.value.block_errors
    assert 0 not in exc.value.block_errors


@pytest.mark.django_db
def test_body_renders_in_order_with_outline(index, clinic):
    page = make_article(
        index,
        body=[
            {"type": "heading", "value": {"text": "First", "level": "h2", "anchor": ""}},
            {"type": "paragraph", "value": "<p>Para</p>"},
            {"type": "heading", "value": {"text": "First", "level": "h3", "anchor": ""}},
            {"type": "quote", "value": {"text": "Q", "attribution": "A"}},
        ],
    )
    html = page.body.render_as_block(context={"page": page})
    assert html.index('id="first"') < html.index("Para") < html.index('id="first-2"') < html.index("acu-quote")
    assert "<h3 class=\"acu-heading\" id=\"first-2\">" in html
