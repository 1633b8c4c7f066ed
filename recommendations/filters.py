"""The filters of the status reports (django-filter). The same FilterSet drives a list,
its CSV/XLSX export and the status matrix, so what you see is what you export."""

import datetime
from array import array
from html import escape  # the standard library's: no lazy-string and safe-string handling per option

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django_countries import countries

from . import selectors, versioning
from .models import Actor, Meeting, Recommendation, SessionParticipant, Status, Theme

UNASSIGNED = "none"
DEFAULT_STALE_DAYS = 90


class LazyChoices:
    """Choices kept as given: pairs, or a callable that gives them, read only when the options
    are built. With `cached_as`, a request whose options come from the cache does not list
    hundreds of choices only to throw them away (Django's setter normalizes each one)."""

    @property
    def choices(self):
        return self._choices

    @choices.setter
    def choices(self, value):
        self._choices = CallableChoiceIterator(value) if callable(value) else value

    def choice_pairs(self):
        return self._choices

    def use_required_attribute(self, initial):
        # Django reads the first choice to decide; only a required field's answer is used.
        return self.is_required and super().use_required_attribute(initial)


class FastSelect(LazyChoices, forms.Select):
    """A <select> built by joining strings, for the lists of hundreds of users, actors or
    countries (owner, responsible actor, co-chair, country, partner): Django renders each
    option through a template (tens of microseconds each), 0.12 s for these lists on the
    bench data. Short lists use Django's widgets. With `cached_as`, the options are built once
    per data version and language (`versioning.cached`) and each request only marks its
    selection: give each list of choices its own name. To go when these become autocompletes."""

    def __init__(self, attrs=None, choices=(), cached_as=None):
        super().__init__(attrs, choices)
        self.cached_as = cached_as

    @staticmethod
    def option(value):
        return f'<option value="{escape(value)}">'

    def options_html(self):
        return "".join(f"{self.option(_value(option))}{escape(str(label))}</option>"
                       for option, label in self.choice_pairs())

    def render(self, name, value, attrs=None, renderer=None):
        selected = {_value(v) for v in (value if isinstance(value, (list, tuple)) else [value])}
        if self.cached_as:
            html = versioning.cached(f"options|{self.cached_as}", self.options_html)
        else:
            html = self.options_html()
        for option in selected:
            tag = self.option(option)
            html = html.replace(tag, f"{tag[:-1]} selected>", 1)
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return mark_safe(f"<select{flatatt(final_attrs)}>{html}</select>")


class DatePicker(forms.DateInput):
    """The browser's date picker. It reads and sends only ISO dates (2027-06-30): a value in
    the language's format (30/06/2027 in en-gb, which the date fields also read) is dropped,
    and the next save sends no date; so every date is shown in ISO."""

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


def _value(option):
    """An option's value as the form sends it back: "" for none, a model choice's value."""
    return "" if option is None else str(getattr(option, "value", option))


class StableOrderingFilter(filters.OrderingFilter):
    """Sorting by a column, ties broken by id in the same direction: rows with the same value
    (many items have no due date) keep one order, so no row shows on two pages, exports list
    them alike, and an index on (column, id) serves the sort either way."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        ordering = qs.query.order_by
        if ordering and not {"pk", "-pk", "id", "-id"} & set(ordering):
            qs = qs.order_by(*ordering, "-pk" if str(ordering[-1]).startswith("-") else "pk")
        return qs


def actor_choices(**lookups):
    """Lazy (pk, name) choices of actors: tuples, not model instances, for long lists; read
    once per change of the data (see `versioning.cached`)."""
    def choices():
        actors = Actor.objects.filter(**lookups).order_by("name").values_list("pk", "name").distinct()
        return [(str(pk), name) for pk, name in actors]
    return lambda: versioning.cached(f"actor-choices|{sorted(lookups.items())}", choices)


def related_exists(through, owner_field, **lookups):
    """An EXISTS test over a many-to-many table: filters without JOIN + DISTINCT."""
    return Exists(through.objects.filter(**{owner_field: OuterRef("pk")}, **lookups))


def meeting_choices():
    return [(year, f"GFMD {year}") for year in Meeting.objects.values_list("year", flat=True)]


def active_users():
    """(pk, username) of every active user, read once per change of the data."""
    def users():
        return list(get_user_model().objects.filter(is_active=True).order_by("username").values_list("pk", "username"))
    return versioning.cached("active-users", users)


def owner_choices():
    return [(UNASSIGNED, "— unassigned —"), *((str(pk), username) for pk, username in active_users())]


def theme_choices():
    """(slug, name) of every theme, read once per change of the data."""
    return versioning.cached("theme-choices", lambda: list(Theme.objects.order_by("name").values_list("slug", "name")))


def theme_ids():
    return versioning.cached("theme-ids", lambda: dict(Theme.objects.values_list("slug", "pk")))


def country_choices():
    """The country list in the active language, translated once per process and language."""
    language = get_language()
    if language not in _countries:
        _countries[language] = list(countries)
    return _countries[language]


_countries = {}


class TrackedItemFilterSet(filters.FilterSet):
    """Filters every kind of tracked item understands."""

    q = filters.CharFilter(method="filter_text", label="Text")
    status = filters.MultipleChoiceFilter(choices=Status.choices, widget=forms.CheckboxSelectMultiple,
                                          label="Status", distinct=False)
    owner = filters.ChoiceFilter(choices=owner_choices, method="filter_owner", empty_label="Anyone", label="Owner",
                                 widget=FastSelect(cached_as="owner"))
    theme = filters.MultipleChoiceFilter(choices=theme_choices, method="filter_theme",
                                         widget=forms.CheckboxSelectMultiple, label="Theme")
    responsible = filters.ChoiceFilter(
        choices=actor_choices(), label="Responsible actor", method="filter_responsible",
        widget=FastSelect(cached_as="responsible"),
    )
    country = filters.ChoiceFilter(choices=country_choices, method="filter_country", label="Country",
                                   widget=FastSelect(cached_as="country"))
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte", label="Due on or after", widget=DatePicker)
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte", label="Due on or before",
                                    widget=DatePicker)
    overdue = filters.BooleanFilter(method="filter_overdue", label="Overdue only",
                                    widget=forms.CheckboxInput)
    stale = filters.NumberFilter(method="filter_stale", label="No update in (days)", min_value=1, max_value=36_500,
                                 widget=forms.NumberInput(attrs={"placeholder": DEFAULT_STALE_DAYS}))
    updated_since = filters.DateFilter(method="filter_updated_since", label="Updated since", widget=DatePicker)

    @property
    def form_cache_key(self):
        """What the filter form's fields look like depends on: the filter set, the values asked
        for (not the page) and the data version with the language (the lists of choices)."""
        data = self.data or {}
        values = sorted((k, data.getlist(k) if hasattr(data, "getlist") else data[k]) for k in data if k != "page")
        return f"{type(self).__name__}|{versioning.current()}|{get_language()}|{values!r}"

    def filter_text(self, queryset, name, value):
        self.text_search = selectors.search_items(queryset, value)
        return self.text_search.items

    text_search = None  # what the text filter found (selectors.TextSearch), once the filters are applied

    def whole_qs(self):
        """The same rows as `qs`, as best read all at once (counted, exported, aggregated): a
        search of very many items as one set, where `qs` checks each row as a page is walked
        (fast for a page, slow for all rows)."""
        self.qs  # noqa: B018 -- applies the filters, the search among them
        if self.text_search is None or not self.text_search.broad:
            return self.qs
        queryset = self.text_search.whole
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def presorted_ids(self):
        """The ids of the whole list, in its order, when it has a text search and no sort of its
        own: its pages are then slices of them. The search's matches come in the list's default
        order; other filters keep those the database finds among them (one lookup by id, once
        per list and change of the data), rather than have the database walk the whole order
        checking each row against thousands of ids. Else None."""
        self.qs  # noqa: B018 -- applies the filters, the search among them
        ids = self.text_search and self.text_search.ids
        if ids is None or not self.is_bound or not self.form.is_valid():
            return None
        active = [name for name, value in self.form.cleaned_data.items()
                  if value not in (None, "", False) and not (hasattr(value, "__len__") and len(value) == 0)]
        if "sort" in active or "q" not in active:
            return None
        if active == ["q"]:
            return ids
        kept = self.qs.order_by().values_list("pk", flat=True)
        sql, params = kept.query.sql_with_params()

        def in_search_order():
            found = set(kept)
            return array("q", (pk for pk in ids if pk in found))

        return versioning.cached(f"search-filtered|{sql}|{params!r}", in_search_order)

    def m2m(self, name, **lookups):
        field = self.Meta.model._meta.get_field(name)
        return related_exists(field.remote_field.through, field.m2m_field_name(), **lookups)

    def filter_theme(self, queryset, name, value):
        ids = theme_ids()
        return queryset.filter(self.m2m("themes", theme__in=[ids[slug] for slug in value])) if value else queryset

    def filter_responsible(self, queryset, name, value):
        return queryset.filter(self.m2m("responsible_actors", actor_id=value))

    def filter_owner(self, queryset, name, value):
        if value == UNASSIGNED:
            return queryset.filter(owner=None)
        return queryset.filter(owner_id=value)

    def filter_country(self, queryset, name, value):
        return queryset.filter(self.m2m("responsible_actors", actor__country=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_stale(self, queryset, name, value):
        return queryset.stale(int(value))

    def filter_updated_since(self, queryset, name, value):
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return queryset.updated_since(start)

    def describe(self):
        """The active filters in words, for the top of a printed or exported report."""
        if not self.is_bound or not self.form.is_valid():
            return []
        return [
            f"{self.form.fields[name].label}: {_show(self.form.fields[name], value)}"
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "", False) and not (hasattr(value, "__len__") and len(value) == 0)
        ]


def _show(field, value):
    labels = {}
    if hasattr(field, "choices") and not isinstance(field, forms.ModelChoiceField):
        labels = dict(iter(field.choices))  # iterate: django-filter's lazy choices have no len()
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        return ", ".join(str(labels.get(v, v)) for v in value)
    if value is True:
        return "yes"
    return str(labels.get(value, value))


class RecommendationFilterSet(TrackedItemFilterSet):
    meeting = filters.ChoiceFilter(field_name="session__meeting__year", label="Meeting",
                                   widget=forms.Select, choices=meeting_choices)
    roundtable = filters.ChoiceFilter(field_name="session__roundtable__number", label="Roundtable",
                                      choices=[(n, f"Roundtable {n}") for n in (1, 2, 3)])
    session = filters.CharFilter(field_name="session__code", label="Session code",
                                 widget=forms.TextInput(attrs={"placeholder": "e.g. 2.1", "size": 6}))
    co_chair = filters.ChoiceFilter(
        choices=actor_choices(session_roles__role=SessionParticipant.Role.CO_CHAIR),
        method="filter_co_chair", label="Co-chair", widget=FastSelect(cached_as="co-chair"),
    )
    sort = StableOrderingFilter(
        fields=(("ordinal", "session"), ("number", "number"), ("status", "status"),
                ("owner__username", "owner"), ("due_date", "due"), ("progress", "progress"),
                ("last_update_at", "updated")),
        field_labels={"ordinal": "Session", "last_update_at": "Last update"},
        label="Sort by",
    )

    class Meta:
        model = Recommendation
        fields = []

    def filter_co_chair(self, queryset, name, value):
        chaired = SessionParticipant.objects.filter(actor_id=value, role=SessionParticipant.Role.CO_CHAIR)
        return queryset.filter(session__in=chaired.values("session"))

    def filter_country(self, queryset, name, value):
        # A country's recommendations: those it is responsible for or whose session it co-chaired or joined.
        joined = SessionParticipant.objects.filter(actor__country=value).values("session")
        return queryset.filter(self.m2m("responsible_actors", actor__country=value) | Q(session__in=joined))
