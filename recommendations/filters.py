"""The filters of the status reports (django-filter). The same FilterSet drives a list,
its CSV/XLSX export and the status matrix, so what you see is what you export. Their parts (a name typed,
a date picked, a stable sort, the lineage): `filter_fields`."""

import datetime
from array import array

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import selectors, versioning
from .filter_fields import (  # noqa: F401 -- offered here too, where the lists' filters have always been
    ANY_LINEAGE,
    IMPLEMENTED,
    POSSIBLE_OWNERS,
    DatePicker,
    LineageFilter,
    NameField,
    NameFilter,
    NameInput,
    StableOrderingFilter,
    TranslatedNameFilter,
)
from .models import (
    Actor,
    FollowUpItem,
    Freshness,
    Meeting,
    Priority,
    Recommendation,
    SessionParticipant,
    Status,
    Theme,
    Verification,
)
from .public_filters import PublicFilterSetMixin

UNASSIGNED = "none"
DEFAULT_STALE_DAYS = 90
CLAIMS = [(Verification.AWAITING, _("Awaiting verification")), (Verification.VERIFIED, _("Verified"))]


def meeting_choices():
    years = Meeting.objects.values_list("year", flat=True)
    return [(year, gettext("GFMD %(year)s") % {"year": year}) for year in years]


def roundtable_choices():
    return [(n, gettext("Roundtable %(number)s") % {"number": n}) for n in (1, 2, 3)]


def country_choices():
    return list(countries)  # in the active language, sorted by its names


def actors(**lookups):
    """The actors with a session role or a project role as given (`session_roles__role=…`)."""
    return Actor.objects.filter(pk__in=Actor.objects.filter(**lookups).values("pk")) if lookups else Actor.objects.all()


def any_name(placeholder):
    return NameInput(attrs={"placeholder": placeholder})


class TrackedItemFilterSet(PublicFilterSetMixin, filters.FilterSet):
    """Filters every kind of tracked item understands; for the public, without the owner's
    (`public_filters`)."""

    names_url = "recommendations:names"  # the names a `NameFilter` offers as one types
    common_filters = ("q", "status", "meeting", "roundtable", "session", "owner")  # first; the rest: "More filters"
    q = filters.CharFilter(method="filter_text", label=_("Text"),
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. recruitment costs")}))
    status = filters.MultipleChoiceFilter(choices=Status.choices, widget=forms.CheckboxSelectMultiple,
                                          label=_("Status"), distinct=False)
    owner = NameFilter(queryset=get_user_model().objects.filter(is_active=True), to_field_name="username",
                       null_value=UNASSIGNED, null_label=_("— unassigned —"), label=_("Owner"),
                       widget=any_name(_("Anyone: type a name")))
    priority = filters.MultipleChoiceFilter(choices=[*reversed(Priority.choices), (UNASSIGNED, _("Not set"))],
                                            method="filter_priority", widget=forms.CheckboxSelectMultiple,
                                            label=_("Priority"))
    theme = TranslatedNameFilter(queryset=Theme.objects.order_by("name"), to_field_name="slug", method="filter_theme",
                                 widget=forms.CheckboxSelectMultiple, label=_("Theme"))
    responsible = NameFilter(queryset=actors(), to_field_name="name", label=_("Responsible actor"),
                             method="filter_responsible", widget=any_name(_("Any actor: type a name")))
    country = filters.ChoiceFilter(choices=country_choices, method="filter_country", label=_("Country"),
                                   empty_label=_("Any country"))
    due_after = filters.DateFilter(field_name="due_date", lookup_expr="gte", label=_("Due on or after"),
                                   widget=DatePicker)
    due_before = filters.DateFilter(field_name="due_date", lookup_expr="lte", label=_("Due on or before"),
                                    widget=DatePicker)
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput)
    stale = filters.NumberFilter(method="filter_stale", label=_("No update in (days)"), min_value=1,
                                 max_value=36_500, widget=forms.NumberInput(attrs={"placeholder": DEFAULT_STALE_DAYS}))
    updated_since = filters.DateFilter(method="filter_updated_since", label=_("Updated since"), widget=DatePicker)
    # By days since the latest entry, against each item's meeting's thresholds (`FollowUpQuerySet.freshness_q`).
    freshness = filters.ChoiceFilter(choices=Freshness.choices, method="filter_freshness", label=_("Freshness"),
                                     empty_label=_("Any freshness"))
    verification = filters.ChoiceFilter(choices=CLAIMS, field_name="verification", label=_("Closure"),
                                        empty_label=_("Any, or none claimed"))
    lineage = LineageFilter()

    @property
    def form_cache_key(self):
        """What the filter form's HTML depends on: the values asked for (not the page), the data
        version, the language (the lists of choices) and whether the reader is the public."""
        data = self.data or {}
        values = sorted((k, data.getlist(k) if hasattr(data, "getlist") else data[k]) for k in data if k != "page")
        return f"{type(self).__name__}|{self.public}|{versioning.current()}|{get_language()}|{values!r}"

    @cached_property
    def field_groups(self):
        """The form's fields: the common filters, then the others ("More filters"), shown open when one
        of those is given (or refused), so that no filter in force is hidden."""
        names = [name for name in self.form.fields if name != "sort"]
        more = [self.form[name] for name in names if name not in self.common_filters]
        return {"common": [self.form[name] for name in self.common_filters if name in names], "more": more,
                "given": sum(_given(self.data or {}, field) for field in more)}

    def filter_text(self, queryset, name, value):
        self.text_search = selectors.search_items(queryset, value, public=self.public)
        return self.text_search.items

    text_search = None  # what the text filter found (selectors.TextSearch), once the filters are applied

    def whole_qs(self):
        """The rows of `qs`, as best read all at once (counted, exported): a search of very many items
        as one set, where `qs` checks each row as a page is walked (fast for a page, slow for all)."""
        self.qs  # noqa: B018 -- applies the filters, the search among them
        if self.text_search is None or not self.text_search.broad:
            return self.qs
        queryset = self.text_search.whole
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def presorted_ids(self):
        """The whole list's ids in its order, when it has a text search and no sort: its pages are
        slices of them. The matches come in the default order; other filters keep those the database
        finds among them (once per list and data version), rather than have it walk the whole order
        checking each row against thousands of ids. Else None."""
        self.qs  # noqa: B018 -- applies the filters, the search among them
        ids = self.text_search and self.text_search.ids
        if ids is None:
            return None
        active = list(self.active_values())
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
        """An EXISTS test over a many-to-many table: filters without JOIN + DISTINCT."""
        field = self.Meta.model._meta.get_field(name)
        return Exists(field.remote_field.through.objects.filter(**{field.m2m_field_name(): OuterRef("pk")}, **lookups))

    def filter_theme(self, queryset, name, value):
        return queryset.filter(self.m2m("themes", theme__in=value)) if value else queryset

    def filter_priority(self, queryset, name, value):
        return queryset.filter(priority__in=["" if v == UNASSIGNED else v for v in value]) if value else queryset

    def filter_responsible(self, queryset, name, value):
        return queryset.filter(self.m2m("responsible_actors", actor=value))

    def filter_country(self, queryset, name, value):
        return queryset.filter(self.m2m("responsible_actors", actor__country=value))

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue() if value else queryset

    def filter_stale(self, queryset, name, value):
        return queryset.stale(int(value), latest=self.latest)

    def filter_freshness(self, queryset, name, value):
        return queryset.fresh(value)

    def filter_updated_since(self, queryset, name, value):
        start = timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
        return queryset.updated_since(start, latest=self.latest)

    def active_values(self):
        """{name: value} of the filters given, if valid."""
        if not self.is_bound or not self.form.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items()
                if value not in (None, "", False) and not (hasattr(value, "__len__") and len(value) == 0)}

    def describe(self):
        """The active filters in words, for the top of a printed or exported report."""
        fields = self.form.fields
        return [gettext("%(filter)s: %(value)s") % {"filter": fields[name].label, "value": _show(fields[name], value)}
                for name, value in self.active_values().items()]


def _given(data, field):
    """Whether the form's `field` has a value in `data`, or was refused."""
    values = data.getlist(field.name) if hasattr(data, "getlist") else [data.get(field.name, "")]
    return any(str(v).strip() for v in values) or bool(field.errors)


def _show(field, value):
    labels = {}
    if isinstance(field, forms.ModelChoiceField):  # its value is a record, or the "none" of a `NameField`
        labels = {field.null_value: field.null_label} if getattr(field, "null_label", None) else {}
    elif hasattr(field, "choices"):
        labels = dict(iter(field.choices))  # iterate: django-filter's lazy choices have no len()
    if isinstance(value, (list, tuple)) or hasattr(value, "model"):
        name = getattr(field, "label_from_instance", str)  # a theme in the reader's language
        return ", ".join(str(labels[v]) if v in labels else name(v) for v in value)
    if value is True:
        return gettext("yes")
    return str(labels.get(value, value))


def session_item_sort(session):
    """The sort of a list of items numbered within a session, by the session's field `session` first."""
    return StableOrderingFilter(
        fields=((session, "session"), ("number", "number"), ("status", "status"), ("owner__username", "owner"),
                ("due_date", "due"), ("progress", "progress"), ("last_update_at", "updated")),
        field_labels={session: _("Session"), "number": _("Number"), "status": _("Status"),
                      "owner__username": _("Owner"), "due_date": _("Due"), "progress": _("Progress"),
                      "last_update_at": _("Last update")},
        label=_("Sort by"),
    )


class RecommendationFilterSet(TrackedItemFilterSet):
    meeting = filters.ChoiceFilter(field_name="session__meeting__year", label=_("Meeting"),
                                   widget=forms.Select, choices=meeting_choices, empty_label=_("Any meeting"))
    roundtable = filters.ChoiceFilter(field_name="session__roundtable__number", label=_("Roundtable"),
                                      choices=roundtable_choices, empty_label=_("Any roundtable"))
    session = filters.CharFilter(field_name="session__code", label=_("Session code"),
                                 widget=forms.TextInput(attrs={"placeholder": _("e.g. 2.1"), "size": 6}))
    co_chair = NameFilter(queryset=actors(session_roles__role=SessionParticipant.Role.CO_CHAIR),
                          to_field_name="name", method="filter_co_chair", label=_("Co-chair"),
                          widget=any_name(_("Any co-chair: type a name")))
    lineage = LineageFilter(implementation=(_("Is implemented by a PfP project"), "projects"))
    sort = session_item_sort("ordinal")  # the report's order

    class Meta:
        model = Recommendation
        fields = []

    def in_report_order(self):
        """Whether the rows come in the report's order (the default, or sorted by session): then
        they are shown under a heading per session."""
        self.qs  # noqa: B018 -- validates the form
        sort = self.form.cleaned_data.get("sort") if self.is_bound else None
        return not sort or sort[0].lstrip("-") == "session"

    def filter_co_chair(self, queryset, name, value):
        chaired = SessionParticipant.objects.filter(actor=value, role=SessionParticipant.Role.CO_CHAIR)
        return queryset.filter(session__in=chaired.values("session"))

    def filter_country(self, queryset, name, value):
        # A country's recommendations: those it is responsible for or whose session it co-chaired or joined.
        joined = SessionParticipant.objects.filter(actor__country=value).values("session")
        return queryset.filter(self.m2m("responsible_actors", actor__country=value) | Q(session__in=joined))


class FollowUpItemFilterSet(RecommendationFilterSet):
    """The civil society's priority subjects, the GFMD assessment: filtered as recommendations are."""

    names_url = "recommendations:follow_up_names"
    lineage = LineageFilter()  # no project implements a follow-up item
    sort = session_item_sort("session__code")

    class Meta:
        model = FollowUpItem
        fields = []
