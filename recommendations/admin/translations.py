"""Editors' translations on a change page (README, "Languages"): a "Translations" fieldset with a box per translated
field and language (`title_fr`, `title_es`, `text_fr`, ...: django-modeltrans's fields of the record's `i18n`), saved
with the rest of the form, by the same path."""

from django.utils.translation import gettext_lazy as _

from gfmd_tracker.content import translated_fields, translation_label, translation_names, translation_of, virtual_fields


class TranslationsMixin:
    """Before the ModelAdmin's class in its bases. Only the French and Spanish boxes: django-modeltrans's other
    fields of a record (`title_en` is the English itself, `title_i18n` the reader's language) are no boxes."""

    def translation_boxes(self):
        return translation_names(*translated_fields(self.model))

    def get_fields(self, request, obj=None):
        hidden = set(virtual_fields(*translated_fields(self.model)))
        return [name for name in super().get_fields(request, obj) if name not in hidden]

    def get_fieldsets(self, request, obj=None):
        """The record's fieldsets, then its translations, folded away while it has none."""
        folded = [] if obj is not None and obj.i18n else ["collapse"]
        return [*super().get_fieldsets(request, obj), (_("Translations"), {
            "fields": self.translation_boxes(), "classes": folded,
            "description": _("The report's English is the official text. A translation is shown marked as one, with "
                             "a link to the English; an empty box means no translation."),
        })]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        translated = translation_of(db_field.name) if db_field.name in self.translation_boxes() else None
        if translated and formfield is not None:
            field, language = translated
            original = self.model._meta.get_field(field)
            formfield.label = translation_label(original.verbose_name, language)
            formfield.required = False
            formfield.empty_value = None  # an emptied box removes the translation from `i18n`
        return formfield

    def edited_fields(self, obj, form, changes):
        """A tracked item's fields the form changed (TrackedItemAdmin), a translation's as `i18n`."""
        edited = super().edited_fields(obj, form, changes)
        if any(name in form.changed_data for name in self.translation_boxes()):
            edited.append("i18n")
        return edited
