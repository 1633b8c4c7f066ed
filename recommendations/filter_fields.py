"""The filters' parts (django-filter): a record typed by its name (`NameFilter`), the browser's date picker, a
sort with ties broken by id, the lineage filter. The FilterSets that use them are in `filters`."""

import django_filters as filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ModelChoiceField, ModelMultipleChoiceField

from gfmd_tracker import content

from .models import Lineage


class NameInput(forms.TextInput):
    """A box to type one of hundreds of names in: `names.js` offers those that start with what was
    typed, from the address in `data-names`. Without JavaScript, the exact name typed is used."""

    template_name = "partials/name_input.html"
    offers = ()  # (value, label) pairs always offered, such as the owner filter's "none"

    class Media:
        js = [forms.Script("gfmd_tracker/names.js", defer=True)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["offers"] = self.offers
        return context


class TranslatedNameField(ModelMultipleChoiceField):
    """Records offered by their names in the reader's language (themes): a box's label cannot hold the mark of a
    translation, so the name alone, as the list's rows show it (README, "Languages")."""

    def label_from_instance(self, obj):
        return content.shown(obj, "name").text


class TranslatedNameFilter(filters.ModelMultipleChoiceFilter):
    field_class = TranslatedNameField


class NameField(ModelChoiceField):
    """A record chosen by its name (`to_field_name`). A number that is nobody's name is read as an
    id, so links from before the names (`?owner=42`) and the actor pages' links keep working."""

    widget = NameInput

    def __init__(self, *args, names_url=None, **kwargs):
        super().__init__(*args, **kwargs)
        if names_url:
            self.widget.attrs["data-names"] = names_url
        self.widget.offers = [] if self.null_label is None else [(self.null_value, self.null_label)]

    def to_python(self, value):
        if isinstance(value, str) and "\x00" in value:  # no name has one, and PostgreSQL refuses it
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        try:
            return super().to_python(value)
        except ValidationError:
            found = self.queryset.filter(pk=value).first() if _is_id(value) else None
            if found is None:
                raise
            return found

    def prepare_value(self, value):
        if _is_id(value):
            try:
                value = self.to_python(value)
            except ValidationError:
                pass  # shown as typed, with the form's error
        return super().prepare_value(value)


def _is_id(value):
    return isinstance(value, str) and value.isascii() and value.isdigit()


POSSIBLE_OWNERS = "possible-owners"  # the names view's list of the users who may own a list's items


class NameFilter(filters.ModelChoiceFilter):
    """A filter by one record of a long list, typed by name; the FilterSet's `names_url` offers the names."""

    field_class = NameField

    @property
    def field(self):
        self.extra["names_url"] = reverse(self.parent.names_url, args=[self.field_name])
        return super().field


class DatePicker(forms.DateInput):
    """The browser's date picker. It drops a date not in ISO (30/06/2027, which en-gb's date fields
    also read), and the next save would send none: so every date is shown in ISO."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):
        super().__init__(attrs, format)

    def format_value(self, value):
        if isinstance(value, str):  # as typed in an address or posted: shown in ISO if a date field reads it
            try:
                value = forms.DateField().to_python(value)
            except ValidationError:
                pass  # shown as typed: the browser shows an empty box, and the form says what is wrong
        return super().format_value(value)


class StableOrderingFilter(filters.OrderingFilter):
    """Ties broken by id in the same direction: rows with the same value (many have no due date) keep
    one order, so no row shows on two pages, and an index on (column, id) serves the sort either way."""

    def build_choices(self, fields, labels):
        """django-filter's choices, each descending label drawn in the reader's language when it is read (django-
        filter's own are formatted once, in the language of the request that first loaded the module)."""
        choices = super().build_choices(fields, labels)
        ascending = {param: label for param, label in choices if not param.startswith("-")}
        return [(param, label if param in ascending or param in labels else _descending(ascending[param[1:]]))
                for param, label in choices]

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        ordering = qs.query.order_by
        if ordering and not {"pk", "-pk", "id", "-id"} & set(ordering):
            qs = qs.order_by(*ordering, "-pk" if str(ordering[-1]).startswith("-") else "pk")
        return qs


_descending = lazy(lambda label: str(filters.OrderingFilter.descending_fmt) % label, str)

ANY_LINEAGE, IMPLEMENTED = "any", "implemented"


class LineageFilter(filters.ChoiceFilter):
    """Items by their lineage, one choice: any link either way, a kind of link from the item, or the
    implementation links. `implementation`: their label and the many-to-many that holds them (a project's
    `recommendations`, a recommendation's `projects`), for the kinds of item that have them. For the public,
    only the links it sees count (none to an unpublished item)."""

    def __init__(self, *, implementation=None, **kwargs):
        self.implementation = implementation
        choices = [(ANY_LINEAGE, _("Has any lineage")), *Lineage.Kind.choices]
        if implementation:
            choices.append((IMPLEMENTED, implementation[0]))
        super().__init__(choices=choices, label=_("Lineage"), empty_label=_("Any, or none"), **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        content_type, public = ContentType.objects.get_for_model(qs.model), getattr(self.parent, "public", False)
        links = Lineage.objects.public() if public else Lineage.objects.all()
        links_from = links.filter(item_type=content_type, item_id=OuterRef("pk"))
        if value in Lineage.Kind.values:
            return qs.filter(Exists(links_from.filter(kind=value)))
        if value == IMPLEMENTED:
            return qs.filter(self.implemented(qs.model))
        condition = Exists(links_from) | Exists(links.filter(target_type=content_type, target_id=OuterRef("pk")))
        return qs.filter(condition | self.implemented(qs.model) if self.implementation else condition)

    def implemented(self, model):
        field = model._meta.get_field(self.implementation[1])
        if field.auto_created:  # the other side of a many-to-many: a recommendation's projects
            through, column, other = field.through, field.field.m2m_reverse_field_name(), field.field.m2m_field_name()
        else:
            through, column, other = field.remote_field.through, field.m2m_field_name(), field.m2m_reverse_field_name()
        links = through.objects.filter(**{column: OuterRef("pk")})
        if getattr(self.parent, "public", False):
            links = links.filter(**{f"{other}__is_public": True})
        return Exists(links)
