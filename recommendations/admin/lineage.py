"""The admin of lineage: its own list (with import and export), and an inline of the links from an item on
each tracked item's page. Items are named as the spreadsheets name them: a kind and a key."""

from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin

from gfmd_tracker.admin_lists import SelectionMixin
from gfmd_tracker.spreadsheets import CheckedImportMixin

from ..imports.lineage import LineageResource
from ..models import Lineage, kind_name, tracked_kinds
from .base import HistoryAdmin

KEY_HELP = _("Year/session/number for a recommendation or a follow-up item (2010/3.1/3); a project's title.")


def kind_choices():
    return [(name, capfirst(model._meta.verbose_name)) for name, model in tracked_kinds().items()]  # the value English


class LineageForm(forms.ModelForm):
    """A link with its ends named by kind and key; the target empty for a link to a named reference."""

    ends = ("item", "target")  # the ends this form names (the inline's item is the page's)
    item_kind = forms.ChoiceField(label=_("Item: kind"), choices=kind_choices)
    item_key = forms.CharField(label=_("Item"), max_length=400, help_text=KEY_HELP)
    target_kind = forms.ChoiceField(label=_("Target item: kind"), required=False,
                                    choices=lambda: [("", gettext("— none: a named reference —")), *kind_choices()])
    target_key = forms.CharField(label=_("Target item"), max_length=400, required=False,
                                 help_text=_("Empty for a named reference. Year/session/number for a recommendation "
                                             "or a follow-up item (2010/3.1/3); a project's title."))

    class Meta:
        model = Lineage
        fields = ["kind", "reference_source", "reference_part", "reference_words", "sentence", "line"]
        widgets = {"sentence": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        for end in ("item", "target"):
            if end not in self.ends:
                del self.fields[f"{end}_kind"], self.fields[f"{end}_key"]
            elif getattr(self.instance, f"{end}_type_id", None) is not None and getattr(self.instance, end):
                self.initial[f"{end}_kind"] = kind_name(getattr(self.instance, f"{end}_type").model_class())
                self.initial[f"{end}_key"] = getattr(self.instance, end).lineage_key()
        if item is not None and item.pk is not None:
            self.instance.item = item

    def clean(self):
        cleaned = super().clean()
        for end in self.ends:
            kind, key = cleaned.get(f"{end}_kind"), cleaned.get(f"{end}_key", "").strip()
            if end == "target" and not kind and not key:
                self.instance.target = None
                continue
            try:
                setattr(self.instance, end, Lineage.find_end(kind, key))
            except ValidationError as error:
                self.add_error(f"{end}_key", error)
        return cleaned


class LineageInlineForm(LineageForm):
    ends = ("target",)


class LineageFormSet(BaseGenericInlineFormSet):
    """Each form knows the item of the page (so that a link it has already is refused before the save), and
    one link is not given twice on one page."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "item": self.instance}

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or not hasattr(form, "cleaned_data"):
                continue
            link = form.instance
            key = (link.kind, link.target_type_id, link.target_id, link.reference_words)
            if key in seen:
                raise ValidationError(gettext("The same link is given twice; keep one."))
            seen.add(key)


class LineageInline(GenericTabularInline):
    """The links from the item: what it originates from, reiterates, builds on or forms part of."""

    model = Lineage
    ct_field, ct_fk_field = "item_type", "item_id"
    form = LineageInlineForm
    formset = LineageFormSet
    extra = 0
    fields = ("kind", "target_kind", "target_key", "reference_source", "reference_part", "reference_words",
              "sentence", "line")
    verbose_name_plural = _("Lineage (the links from this item; those to it are on the lineage list)")

    def get_queryset(self, request):
        return super().get_queryset(request).with_ends("target")


@admin.register(Lineage)
class LineageAdmin(SelectionMixin, CheckedImportMixin, HistoryAdmin, ImportExportModelAdmin):
    resource_classes = [LineageResource]
    form = LineageForm
    list_display = ("item_label", "kind", "target_label", "line")
    list_filter = ("kind", ("item_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("sentence", "reference_source", "reference_part", "reference_words")
    search_help_text = _("Words of the sentence or of the named reference.")
    fieldsets = [
        (None, {"fields": ("kind", "item_kind", "item_key")}),
        (_("Target: a tracked item …"), {"fields": ("target_kind", "target_key")}),
        (_("… or a named reference"), {"fields": ("reference_source", "reference_part", "reference_words")}),
        (_("What the report says"), {"fields": ("sentence", "line")}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item_type", "target_type").with_ends()

    @admin.display(description=_("Item"))
    def item_label(self, link):
        return link.item_label()

    @admin.display(description=_("Target"))
    def target_label(self, link):
        return link.target_label()
