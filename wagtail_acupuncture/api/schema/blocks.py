"""JSON Schema of blocks and API fields: :class:`SchemaBuilder`.

The builder walks block definitions (``StreamBlock`` → ``StructBlock`` → ``ListBlock`` → field
and chooser blocks) and collects named schemas as components. A block whose API output differs
from the default describes the difference in a ``get_api_schema(builder)`` method, which wins over
:meth:`SchemaBuilder.default_block`.

The defaults are the package's contract for blocks without such a method - the API delivers
every block ready to render:

* any ``RichTextBlock``: front-end HTML (:meth:`SchemaBuilder.html`);
* ``ImageChooserBlock``: the shared ``Image`` or ``null``;
* ``PageChooserBlock``: ``PageLink`` ``{id, title, url, type}`` or ``null`` (a page that is not
  live or is private);
* ``DocumentChooserBlock``: ``DocumentLink`` ``{id, title, url}`` or ``null``;
* ``SnippetChooserBlock``: the package's ``Treatment``; for another model what its classmethod
  ``get_api_schema(builder)`` returns, else ``SnippetLink`` ``{id, type, title}``; ``null`` when
  a draft-state snippet is not live or the object was deleted.

Page and snippet fields are described as the endpoints deliver them: by an ``APIField``'s own
serializer, else by the field the endpoints give it
(:func:`~wagtail_acupuncture.api.fields.default_field_for`); the package's fields describe their
output with ``json_schema``, plain model fields by their type.
"""

import copy
import re

from django.db import models
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from ...conf import acupuncture_settings
from ..fields import ResolvedField, default_field_for

REF_PREFIX = "#/components/schemas/"

STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
TIME = {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}
HTML = {"type": "string", "contentMediaType": "text/html"}

#: Shared component of the chosen objects of snippet models that have one, by model label.
SNIPPET_COMPONENTS = {"wagtail_acupuncture.Treatment": "Treatment"}


def pascal(name):
    """``key_points`` → ``KeyPoints``."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", name) if part)


def _is_package_class(cls):
    """Whether a block class is a site's or the package's own (described as a named
    component), not Wagtail's (the package's chooser blocks count as Wagtail's)."""
    module = getattr(cls, "wagtail_path", None) or cls.__module__
    return not module.startswith(("wagtail.", "django."))


class SchemaBuilder:
    """Builds JSON Schemas and collects them as named components."""

    def __init__(self):
        self.components = {}
        self._block_refs = {}

    # ----------------------------------------------------------------------------- helpers

    @staticmethod
    def ref(name):
        """A ``$ref`` to component ``name``."""
        return {"$ref": REF_PREFIX + name}

    def define(self, name, schema):
        """Register ``schema`` as component ``name`` (suffixed if taken) and return its ref."""
        candidate, n = name, 2
        while candidate in self.components and self.components[candidate] != schema:
            candidate, n = f"{name}{n}", n + 1
        self.components[candidate] = schema
        return self.ref(candidate)

    def deref(self, schema):
        """The component a ``$ref`` points to, else ``schema`` itself."""
        ref = schema.get("$ref", "")
        return self.components[ref[len(REF_PREFIX) :]] if ref.startswith(REF_PREFIX) else schema

    @staticmethod
    def nullable(schema):
        """``schema`` or ``null``."""
        schema = dict(schema)
        if "$ref" in schema or "type" not in schema:
            return {"anyOf": [schema, {"type": "null"}]}
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if "null" not in types:
            schema["type"] = [*types, "null"]
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
        return schema

    @staticmethod
    def html(block=None):
        """An HTML string (front-end HTML of rich text)."""
        return dict(HTML)

    @staticmethod
    def obj(properties, required=None, **extra):
        """A closed object schema; all properties required unless ``required`` is given."""
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties) if required is None else list(required),
            "additionalProperties": False,
            **extra,
        }

    # ----------------------------------------------------------------------------- blocks

    def block(self, block):
        """Schema of ``block``'s API representation (a ref for the package's named blocks)."""
        key = id(block)
        if key in self._block_refs:
            return self._block_refs[key]
        method = getattr(block, "get_api_schema", None)
        schema = method(self) if method is not None else self.default_block(block)
        if _is_package_class(type(block)) and "$ref" not in schema:
            description = str(getattr(block.meta, "description", "") or "")
            if description and "description" not in schema:
                schema = {**schema, "description": description}
            schema = self.define(type(block).__name__, schema)
        self._block_refs[key] = schema
        return schema

    def default_block(self, block):
        """Schema of the API representation of a ``block`` without ``get_api_schema``."""
        if isinstance(block, blocks.BaseStreamBlock):
            return self.stream(block)
        if isinstance(block, blocks.ListBlock):
            return {"type": "array", "items": self.block(block.child_block)}
        if isinstance(block, blocks.BaseStructBlock):
            return self.struct(block)
        if isinstance(block, blocks.RichTextBlock):
            return self.html(block)
        if isinstance(block, blocks.BooleanBlock):
            return {"type": "boolean"}
        if isinstance(block, blocks.ChoiceBlock):
            values = self.choice_values(block)
            schema = {"type": "string", "enum": values}
            if not block.required and "" not in values:
                schema["enum"] = [*values, ""]
            return schema
        if isinstance(block, blocks.IntegerBlock):
            return self._maybe_null(block, INTEGER)
        if isinstance(block, (blocks.FloatBlock, blocks.DecimalBlock)):
            return self._maybe_null(block, {"type": "number"})
        if isinstance(block, blocks.DateTimeBlock):
            return self._maybe_null(block, {"type": "string", "format": "date-time"})
        if isinstance(block, blocks.DateBlock):
            return self._maybe_null(block, {"type": "string", "format": "date"})
        if isinstance(block, blocks.TimeBlock):
            return self._maybe_null(block, {"type": "string", "format": "time"})
        if isinstance(block, blocks.StaticBlock):
            return {"type": "null"}
        if isinstance(block, ImageChooserBlock):
            return self.nullable(self.ref("Image"))
        if isinstance(block, blocks.PageChooserBlock):
            return self.nullable(self.ref("PageLink"))
        if isinstance(block, DocumentChooserBlock):
            return self.nullable(self.ref("DocumentLink"))
        if isinstance(block, SnippetChooserBlock):
            return self.chosen_snippet(block.target_model)
        if isinstance(block, blocks.ChooserBlock):
            return self.nullable({**INTEGER, "description": "Primary key of the chosen object."})
        if isinstance(block, blocks.FieldBlock):
            return dict(STRING)
        return {}

    def chosen_snippet(self, model):
        """Schema of a snippet of ``model`` chosen in a block, or ``null``.

        ``null`` when a draft-state snippet is not live or the object was deleted. The package's
        treatments are the shared ``Treatment``; a model with a classmethod
        ``get_api_schema(builder)`` is what that returns; any other model is a ``SnippetLink``.
        """
        component = SNIPPET_COMPONENTS.get(model._meta.label)
        if component:
            return self.nullable(self.ref(component))
        model_schema = getattr(model, "get_api_schema", None)
        if callable(model_schema):
            return self.nullable(model_schema(self))
        return self.nullable(self.ref("SnippetLink"))

    def _maybe_null(self, block, schema):
        return dict(schema) if block.required else self.nullable(schema)

    @staticmethod
    def choice_values(block):
        """The values of a ``ChoiceBlock``'s choices (groups flattened, blank left out)."""
        values = []
        for value, label in block.field.choices:
            if isinstance(label, (list, tuple)):
                values.extend(str(v) for v, _label in label)
            elif value != "":
                values.append(str(value))
        return values

    def struct(self, block, exclude=()):
        """Closed object schema of a ``StructBlock`` from its child blocks (a fresh dict)."""
        properties = {
            name: self.block(child)
            for name, child in block.child_blocks.items()
            if name not in exclude
        }
        schema = self.obj(properties)
        label = getattr(block.meta, "label", None)
        if label:
            schema["title"] = str(label)
        return schema

    def list_with_ids(self, list_block):
        """Array schema of a ``ListBlock`` whose items carry their stable ``id``.

        Struct items get an ``id`` property; other items become ``{id, value}``.
        """
        child = self.block(list_block.child_block)
        target = self.deref(child)
        if target.get("type") == "object" and "properties" in target:
            item = copy.deepcopy(target)
            item["properties"] = {"id": {"type": "string"}, **item["properties"]}
            item["required"] = ["id", *[n for n in item.get("required", []) if n != "id"]]
            if "$ref" in child:
                item = self.define(child["$ref"][len(REF_PREFIX) :] + "Item", item)
        else:
            item = self.obj({"id": {"type": "string"}, "value": child})
        return {"type": "array", "items": item}

    def stream(self, block):
        """Array of ``{type, value, id}`` children, one variant per child block type."""
        owner = type(block).__name__ if _is_package_class(type(block)) else "Stream"
        variants = []
        for name, child in block.child_blocks.items():
            variant = self.obj(
                {
                    "type": {"const": name},
                    "value": self.block(child),
                    "id": {"type": "string"},
                },
                title=str(getattr(child.meta, "label", "") or name),
            )
            variants.append(self.define(f"{owner}{pascal(name)}", variant))
        child_ref = self.define(f"{owner}Child", {"oneOf": variants})
        return {"type": "array", "items": child_ref}

    # ----------------------------------------------------------------------------- fields

    def model_field(self, model, name):
        """Schema of a model field as Wagtail's API serializes it."""
        try:
            field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a property or computed attribute
            return {}
        if isinstance(field, (models.AutoField, models.BigAutoField)):
            return dict(INTEGER)
        if isinstance(field, models.BooleanField):
            schema = {"type": "boolean"}
        elif isinstance(field, (models.IntegerField,)):
            schema = dict(INTEGER)
        elif isinstance(field, (models.FloatField, models.DecimalField)):
            schema = {"type": "number"}
        elif isinstance(field, models.DateTimeField):
            schema = {"type": "string", "format": "date-time"}
        elif isinstance(field, models.DateField):
            schema = {"type": "string", "format": "date"}
        elif isinstance(field, (models.CharField, models.TextField)):
            schema = dict(STRING)
            if field.choices:
                # The stored value, as DRF's ChoiceField outputs it; "" when the field may be blank.
                values = [str(value) for value, _label in field.flatchoices if value != ""]
                schema["enum"] = [*values, ""] if field.blank else values
        else:
            return {}
        return self.nullable(schema) if field.null else schema

    def api_field(self, endpoint, model, api_field):
        """Schema of one API field of ``model`` on ``endpoint``.

        Its own serializer, else the one the endpoints' serializers build for it
        (``default_field_for``), describes it; else the model field's type.
        """
        serializer = getattr(api_field, "serializer", None)
        if serializer is None:
            serializer = default_field_for(model, api_field.name)
        if isinstance(serializer, ResolvedField):
            return serializer.json_schema(self, model, api_field.name)
        if api_field.name == "id":
            return dict(INTEGER)
        return self.model_field(model, api_field.name)

    # ----------------------------------------------------------------------------- shared

    def shared_components(self):
        """Images, page references, snippets and other shapes shared by blocks and fields."""
        rendition = self.define(
            "Rendition",
            self.obj({"url": {"type": "string"}, "width": INTEGER, "height": INTEGER}),
        )
        names = list(acupuncture_settings.IMAGE_RENDITIONS)
        self.define(
            "Image",
            self.obj(
                {
                    "id": INTEGER,
                    "title": STRING,
                    "alt": STRING,
                    "width": INTEGER,
                    "height": INTEGER,
                    "focal_point": self.nullable(
                        self.obj({"x": INTEGER, "y": INTEGER, "width": INTEGER, "height": INTEGER})
                    ),
                    "renditions": self.obj(
                        dict.fromkeys(names, rendition),
                        required=[],
                        description="By IMAGE_RENDITIONS name; one is missing only when the "
                        "source file is.",
                    ),
                },
                description="An image with its renditions (absolute URLs).",
            ),
        )
        self.define(
            "PageRef",
            self.obj(
                {"id": INTEGER, "title": STRING, "url": self.nullable(STRING), "type": STRING}
            ),
        )
        self.define(
            "PageLink",
            self.obj(
                {
                    "id": INTEGER,
                    "title": STRING,
                    "url": STRING,
                    "type": {**STRING, "description": "`app_label.ModelName` of the page."},
                },
                description="A page chosen in a block; the block is null instead while the page "
                "is not live or is private.",
            ),
        )
        self.define(
            "DocumentLink",
            self.obj(
                {"id": INTEGER, "title": STRING, "url": STRING},
                description="A document chosen in a block; null instead when it was deleted.",
            ),
        )
        self.define(
            "SnippetLink",
            self.obj(
                {
                    "id": INTEGER,
                    "type": {**STRING, "description": "`app_label.ModelName` of the snippet."},
                    "title": STRING,
                },
                description="A snippet chosen in a block (of a model without an API schema of "
                "its own); null instead while a draft-state snippet is not live or when the "
                "object was deleted.",
            ),
        )
        self.define(
            "Booking",
            self.obj(
                {
                    "provider": {
                        **STRING,
                        "description": "jane, acuity, cliniko, mindbody, practice_better, "
                        "noterro, url, or a site's own provider.",
                    },
                    "url": STRING,
                    "new_tab": {"type": "boolean"},
                },
                description="A booking page: the scheduler and the URL its ids build.",
            ),
        )
        self.define(
            "Treatment",
            self.obj(
                {
                    "id": INTEGER,
                    "name": STRING,
                    "slug": STRING,
                    "summary": STRING,
                    "url": self.nullable(STRING),
                    "image": self.nullable(self.ref("Image")),
                    "booking": self.nullable(self.ref("Booking")),
                },
                description="A published treatment.",
            ),
        )
        self.define(
            "Practitioner",
            self.obj(
                {
                    "id": INTEGER,
                    "name": STRING,
                    "credentials": STRING,
                    "job_title": STRING,
                    "display_name": STRING,
                    "photo": self.nullable(self.ref("Image")),
                    "bio": dict(HTML),
                    "booking_url": self.nullable(STRING),
                    "booking": self.nullable(self.ref("Booking")),
                    "profile_url": self.nullable(STRING),
                }
            ),
        )
        self.define(
            "ArticleCard",
            self.obj(
                {
                    "id": INTEGER,
                    "title": STRING,
                    "url": self.nullable(STRING),
                    "type": STRING,
                    "intro": STRING,
                    "published_date": self.nullable({"type": "string", "format": "date"}),
                    "hero_image": self.nullable(self.ref("Image")),
                }
            ),
        )
        self.define(
            "TableOfContentsEntry",
            self.obj({"text": STRING, "anchor": STRING, "level": {"enum": [2, 3, 4]}}),
        )
        self.define("Error", self.obj({"message": STRING}))
        summary_meta = self.obj(
            {"type": STRING, "detail_url": STRING, "html_url": self.nullable(STRING)},
            required=["type"],
        )
        self.define(
            "PageSummary",
            self.obj({"id": INTEGER, "meta": summary_meta, "title": STRING}),
        )
