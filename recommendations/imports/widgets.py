"""The cells of a spreadsheet as the tracker reads and writes them: widgets that name records by
what people read (a status label, a username, a session code, actor names), whole numbers and
dates as a spreadsheet may hold them, and cells that never run as formulas."""

import datetime
import re

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from django_countries import countries
from import_export import fields, widgets

from gfmd_tracker.spreadsheets import grouped

from .. import dates
from ..models import Meeting, Session


def in_english(choices):
    """{value: label} of (value, label) pairs, the labels in English whatever the reader's language: a file's cells
    are the data's, in the report's language, and an import reads an exported sheet back (`ChoiceWidget`). What
    no import reads (the "About this export" sheet, the messages) is in the reader's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return {value: str(label) for value, label in choices}


class ChoiceWidget(widgets.Widget):
    """Exports a choice's label (in English: `in_english`); imports its label or its value, in any case. `what` is
    the column's label in an Excel sheet ("Status"): English in every language, as the column and its values are."""

    def __init__(self, choices, what, allow_blank=False, **kwargs):
        self.labels, self.what, self.allow_blank = in_english(choices), what, allow_blank
        self.lookup = {str(name).lower(): value for value, label in self.labels.items() for name in (value, label)}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text and self.allow_blank:
            return ""
        choices = ", ".join(self.labels.values())
        if not text:
            # Translators: column is a spreadsheet's column ("Status"), choices its values: both stay in English.
            raise ValueError(gettext("%(column)s is required. Use one of: %(choices)s.")
                             % {"column": self.what, "choices": choices})
        if text.lower() not in self.lookup:
            # Translators: column is a spreadsheet's column ("status"), choices its values: both stay in English.
            raise ValueError(gettext("Unknown %(column)s '%(value)s'. Use one of: %(choices)s.")
                             % {"column": self.what.lower(), "value": text, "choices": choices})
        return self.lookup[text.lower()]

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


class LookupWidget(widgets.ForeignKeyWidget):
    """A foreign key by one readable field, with a clear message when nothing matches (`unknown`, a sentence
    with the cell's %(value)s).

    Each value is looked up once per import (`start_import` empties the cache), so a
    file of 10,000 rows naming 20 owners asks the database 20 times, not 10,000."""

    def __init__(self, model, field, unknown=None, **kwargs):
        self.unknown = unknown
        self.cache = {}
        super().__init__(model, field=field, **kwargs)

    def start_import(self):
        self.cache = {}

    def preload(self, values):
        """Look up every value of a column in one query (a plain lookup by `field` only)."""
        texts = {str(v).strip() for v in values if str(v or "").strip()}
        if texts:
            records = self.get_queryset(None, None).filter(**{f"{self.field}__in": texts})
            found = {getattr(record, self.field): record for record in records}
            self.cache.update({(text,): found.get(text) for text in texts})

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return None
        lookup = self.get_lookup_kwargs(text, row)
        key = tuple(lookup.values())  # a session's code and meeting, a user's name
        if key not in self.cache:
            self.cache[key] = self.get_queryset(text, row).filter(**lookup).first()
        if self.cache[key] is None:
            raise ValueError(self.not_found_message(text, row))
        return self.cache[key]

    def not_found_message(self, text, row):
        return self.unknown % {"value": text}


class SessionWidget(LookupWidget):
    """A session by its code, within the meeting named in the row's `meeting` column."""

    def __init__(self, **kwargs):
        super().__init__(Session, field="code", **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return Session.objects.select_related("meeting")

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"code": value, "meeting__year": whole_number((row or {}).get("meeting"))}

    preload = None  # by code and meeting: see `remember`

    def remember(self, session):
        """Known without a query from now on (a resource that loaded its sessions already)."""
        self.cache[session.code, session.meeting.year] = session

    def not_found_message(self, text, row):
        meeting = (row or {}).get("meeting")
        if not meeting:
            return gettext("Unknown session '%(value)s' for meeting (no meeting given).") % {"value": text}
        return gettext("Unknown session '%(value)s' for meeting %(meeting)s.") % {"value": text, "meeting": meeting}


class MeetingWidget(LookupWidget):
    """A meeting by its year, written as a spreadsheet may hold it (2010, 2010.0)."""

    def __init__(self, **kwargs):
        super().__init__(Meeting, field="year", **kwargs)

    preload = None  # a file names few meetings: each is looked up once

    def clean(self, value, row=None, **kwargs):
        year = whole_number(value)
        if value in (None, "") or (isinstance(value, str) and not value.strip()):
            raise ValueError(gettext("The meeting is required: write its year, such as 2010."))
        if type(year) is not int:
            raise ValueError(not_a_year(value))
        return super().clean(str(year), row, **kwargs)

    def not_found_message(self, text, row):
        return gettext("Unknown meeting '%(value)s': no meeting of that year is recorded.") % {"value": text}


WHOLE_NUMBER = re.compile(r"[+-]?[0-9]{1,9}(\.0*)?")


def whole_number(value):
    """A whole number as a spreadsheet may hold it (2010, 2010.0, "2010", "2010.0") as an int;
    anything else (2010.5, "1e3", "inf", "soon", an empty cell) as given."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and WHOLE_NUMBER.fullmatch(value.strip()):
        return int(value.strip().split(".")[0])
    return value


def not_a_year(value):
    return gettext("The meeting must be a year, such as 2010, not '%(value)s'.") % {"value": str(value).strip()}


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number from `low` to `high`, read by `whole_number`: any other cell, 50.5
    included, gets a message saying what the column holds (`what`: "The weight", the subject of its
    sentences); nothing is rounded."""

    def __init__(self, what, low, high, required=True, **kwargs):
        self.what, self.low, self.high, self.required = what, low, high, required
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        number = whole_number(value)
        if type(number) is int and self.low <= number <= self.high:
            return number
        if not self.required and self.is_empty(value):
            return None
        words = {"what": self.what, "low": grouped(self.low), "high": grouped(self.high)}
        if self.is_empty(value):
            raise ValueError(gettext("%(what)s is required: a whole number from %(low)s to %(high)s.") % words)
        raise ValueError(gettext("%(what)s must be a whole number from %(low)s to %(high)s, not '%(value)s'.")
                         % {**words, "value": str(value).strip()})


class PreciseDateWidget(widgets.Widget):
    """A date at its precision, as exported: a day (2027-03-31, or a date cell of Excel), a month (2027-03)
    or a year (2027, or the number 2027), read as (the period's last day, its precision); empty: None."""

    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        if isinstance(value, datetime.date):
            return (value.date() if isinstance(value, datetime.datetime) else value), dates.Precision.DAY
        try:
            first, precision = dates.parse(whole_number(value))  # the number 2027 of a spreadsheet too
        except ValueError:
            raise dates.refused(str(value).strip()) from None  # the cell as written: '0001', not '1'
        return dates.last_day(first, precision), precision

    def render(self, value, obj=None, **kwargs):
        return dates.written(*value) if value else ""


class PreciseDateField(fields.Field):
    """A date and its precision (`<attribute>_precision`) in one cell: "2013", "2013-01" or "2013-01-31"."""

    def get_value(self, instance):
        day = getattr(instance, self.attribute)
        return (day, getattr(instance, f"{self.attribute}_precision")) if day else None

    def parts(self, value):
        """The record's two fields as a cell sets them; an empty cell clears the date (a day, if set again)."""
        day, precision = value or (None, dates.Precision.DAY)
        return {self.attribute: day, f"{self.attribute}_precision": precision}


class NamedManyWidget(widgets.ManyToManyWidget):
    """Several records by name, separated by ';'. Any unknown name is an error, not skipped (`unknown`, a sentence
    with the %(names)s)."""

    def __init__(self, model, field, unknown, **kwargs):
        self.unknown = unknown
        self.cache = {}
        super().__init__(model, separator=";", field=field, **kwargs)

    def start_import(self):
        self.cache = {}  # name -> record, or None where no record has that name

    def names(self, value):
        return [name.strip() for name in str(value or "").split(self.separator) if name.strip()]

    def preload(self, values):
        """Look up every name of a column in one query."""
        self.lookup({name for value in values for name in self.names(value)})

    def lookup(self, names):
        missing = [n for n in names if n not in self.cache]
        if missing:
            self.cache.update(dict.fromkeys(missing))
            records = self.model.objects.filter(**{f"{self.field}__in": missing})
            self.cache.update({getattr(record, self.field): record for record in records})

    def clean(self, value, row=None, **kwargs):
        names = self.names(value)
        self.lookup(names)
        if unknown := [n for n in names if self.cache[n] is None]:
            raise ValueError(self.unknown % {"names": ", ".join(unknown)})
        return [self.cache[n] for n in names]

    def render(self, value, obj=None, **kwargs):
        return "; ".join(str(getattr(o, self.field)) for o in value.all()) if value is not None else ""


class LinksField(fields.Field):
    """A many-to-many column. An import writes the links with the rest of each row; meanwhile the
    preview shows a record's links from `shown_links` (as loaded with the file, or as the row
    sets them), which a copy of the record keeps, without a query per row."""

    def get_value(self, instance):
        shown = getattr(instance, "shown_links", {})
        if self.attribute in shown:
            return Listed(shown[self.attribute])
        return super().get_value(instance)


class Listed(list):
    """A list that answers `.all()`, as a related manager does, for the widgets' `render`."""

    def all(self):
        return self


class MeetingYearField(fields.Field):
    """The meeting's year: read through the session on export; the session widget uses it on import."""

    def __init__(self):
        super().__init__(attribute="session__meeting__year", column_name="meeting", readonly=True)

    def problem(self, row):
        """What is wrong with the row's meeting cell, if anything."""
        year = row.get(self.column_name)
        if year in (None, ""):
            if str(row.get("session") or "").strip():
                return gettext("The meeting is required with a session: write its year, such as 2010.")
        elif type(whole_number(year)) is not int:
            return not_a_year(year)
        return None


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Make a cell a spreadsheet would run as a formula inert, by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_formula_text(value):
    """The inverse on import, so that an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


class CountryWidget(widgets.Widget):
    """An ISO 3166 alpha-2 code, checked against the list of countries."""

    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip().upper()
        if code and code not in countries:
            raise ValueError(gettext("'%(code)s' is not an ISO 3166 country code (e.g. MX, CH, PH).") % {"code": code})
        return code  # exported as the library's Widget does: str() of a Country is its code



class TranslationWidget(widgets.Widget):
    """An editor's translation of a field (`title_fr`): the text, or nothing (an empty cell: no translation, so the
    record's is removed); no longer than its original may be."""

    def __init__(self, column, max_length=None, **kwargs):
        self.column, self.max_length = column, max_length
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value)
        if not text.strip():
            return None
        if self.max_length is not None and len(text) > self.max_length:
            raise ValueError(f"The {self.column} cell has {len(text):,} characters; at most {self.max_length:,} are "
                             "accepted, as in the English.")
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""
