"""The lineage spreadsheet: each link's ends named by what people read, never by database id. An item is
its kind and its key (`recommendation`, `2010/3.1/3`; `project`, its title); a named reference is its
words, with who or where and the session. A bad cell says what is wrong; a file with any bad row writes
nothing (`BaseResource`)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext, pgettext_lazy
from import_export import fields, widgets

from ..models import Lineage, kind_name
from .base import BaseResource
from .widgets import ChoiceWidget, WholeNumberWidget

KEY_COLUMNS = ("kind", "item_kind", "item", "target_kind", "target", "reference_words")
# The model's fields behind each end's cell.
ENDS = {"item": ("item_type", "item_id"), "target": ("target_type", "target_id")}


class ItemKindWidget(widgets.Widget):
    """Exports the kind of the tracked item at one end ("recommendation", "project", in English whatever the
    language: `kind_name`); read by `ItemWidget`."""

    def render(self, value, obj=None, **kwargs):
        return kind_name(value) if value is not None else ""


class ItemWidget(widgets.Widget):
    """The tracked item at one end, by its key and the kind in the row's `kind_column`. An empty key and
    kind, where the end is `optional` (the target of a link to a named reference), is no item."""

    def __init__(self, kind_column, optional=False, **kwargs):
        self.kind_column, self.optional = kind_column, optional
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        kind = (row or {}).get(self.kind_column)
        if self.optional and not str(kind or "").strip() and not str(value or "").strip():
            return None
        try:
            return Lineage.find_end(kind, value)
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from None

    def render(self, value, obj=None, **kwargs):
        return value.lineage_key() if value is not None else ""


class LineageResource(BaseResource):
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceWidget(Lineage.Kind.choices, "Kind"))
    item_kind = fields.Field(attribute="item", column_name="item_kind", widget=ItemKindWidget(), readonly=True)
    item = fields.Field(attribute="item", column_name="item", widget=ItemWidget("item_kind"))
    target_kind = fields.Field(attribute="target", column_name="target_kind", widget=ItemKindWidget(), readonly=True)
    target = fields.Field(attribute="target", column_name="target", widget=ItemWidget("target_kind", optional=True))
    line = fields.Field(attribute="line", column_name="line", widget=WholeNumberWidget(
        pgettext_lazy("a sentence's subject", "The line"), 1, 10_000_000))

    class Meta(BaseResource.Meta):
        model = Lineage
        import_id_fields = KEY_COLUMNS
        fields = ("kind", "item_kind", "item", "target_kind", "target", "reference_source", "reference_part",
                  "reference_words", "sentence", "line")

    def get_queryset(self):
        return super().get_queryset().select_related("item_type", "target_type").with_ends()

    def get_instance(self, instance_loader, row):
        """The link the row's natural keys name, if it exists; a row whose ends cannot be found is new,
        and its cells then say what is wrong."""
        keys = {column: row.get(column) for column in KEY_COLUMNS}
        try:
            keys["kind"] = self.fields["kind"].clean(row)  # a label or a value
            return self.get_queryset().get_by_natural_key(**keys)
        except (ValueError, ValidationError, Lineage.DoesNotExist):
            return None

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.seen = {}  # each link of the file: the row that names it first

    def import_instance(self, instance, row, **kwargs):
        """The row's cells read onto the link; a link the file named in an earlier row is refused, naming that
        row (else the second row would pass as unchanged, or change the link the first just wrote)."""
        super().import_instance(instance, row, **kwargs)  # a refused cell says enough
        target = (instance.target_type_id, instance.target_id) if instance.target_id else instance.reference_words
        key = (instance.kind, instance.item_type_id, instance.item_id, target)
        if key in self.seen:
            raise ValidationError(gettext("This row names the same link as row %(row)s (%(link)s); a file may list "
                                          "each link once.") % {"row": self.seen[key], "link": instance})
        self.seen[key] = kwargs["row_number"] + 1  # as the spreadsheet numbers it (SheetResult)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """An end whose cell is refused (an unknown item) is said in that cell alone: not again as its content
        type and id, nor as the link's missing target."""
        errors = dict(import_validation_errors or {})
        if not ENDS.keys() & errors.keys():
            return super().validate_instance(instance, errors, validate_unique)
        try:
            instance.full_clean(exclude=[*errors, *(name for end in ENDS.keys() & errors.keys() for name in ENDS[end])],
                                validate_unique=False)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        errors.pop(NON_FIELD_ERRORS, None)  # what `clean` says of the ends
        raise ValidationError(errors)
