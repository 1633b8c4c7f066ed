"""Dates as precise as their source gives them (README, "The data"): an exact time, a day, a month or a year.

A due date is stored as the last day of its period (an item due "2013" is overdue from 1 January 2014), so
that overdue, ordering and the due filters read one indexed column; a timeline entry dated to a month or a
year is stored at noon UTC on the period's first day, a moment inside it in every time zone, so that the
as-of reports keep reading `created_at`. The precision is stored beside each, and says how to show it."""

import calendar
import datetime
import re

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    TIME = "time", pgettext_lazy("precision", "Exact time")
    DAY = "day", pgettext_lazy("precision", "Day")
    MONTH = "month", pgettext_lazy("precision", "Month")
    YEAR = "year", pgettext_lazy("precision", "Year")


# A due date is a day (what staff set in forms), a month or a year.
DUE_DATE_PRECISIONS = [(p.value, p.label) for p in (Precision.DAY, Precision.MONTH, Precision.YEAR)]

# Why a due date at a month's or a year's precision is refused when it is not the period's last day (`last_day`).
STORED_AS_LAST_DAY = {
    Precision.MONTH: _("A due date known to the month is stored as its last day: %(last)s, or choose the precision "
                       "day."),
    Precision.YEAR: _("A due date known to the year is stored as its last day: %(last)s, or choose the precision "
                      "day."),
}
WRITTEN = {Precision.DAY: "%Y-%m-%d", Precision.MONTH: "%Y-%m", Precision.YEAR: "%Y"}  # spreadsheets, fixtures
# Pages, in the reader's language: 5 Jan 2011, January 2011 (enero de 2011), 2011.
SHOWN = {Precision.DAY: "DATE_FORMAT", Precision.MONTH: "YEAR_MONTH_FORMAT", Precision.YEAR: "Y"}
FORMS = re.compile(r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?")  # ASCII digits only: "２０１３" is no date
NOON_UTC = datetime.time(12, tzinfo=datetime.timezone.utc)


def parse(text):
    """A date as a spreadsheet or a fixture writes it, "2013", "2013-01" or "2013-01-31": (its first day,
    its precision). Anything else is a ValueError that says what is accepted."""
    text = str(text).strip()
    match = FORMS.fullmatch(text)
    try:
        if match is None:
            raise ValueError(text)
        year, month, day = match.groups()
        first = datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise refused(text) from None
    return first, Precision.DAY if day else Precision.MONTH if month else Precision.YEAR


def refused(text):
    """The message for a cell that is not a date, quoting it as written."""
    return ValueError(gettext("'%(text)s' is not a date: write a day (2027-03-31), a month (2027-03) or a year "
                              "(2027).") % {"text": text})


def last_day(first, precision):
    """The last day of the day, month or year that starts on `first`: what a due date stores."""
    if precision == Precision.YEAR:
        return first.replace(month=12, day=31)
    if precision == Precision.MONTH:
        return first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first


def noon(first):
    """The moment a timeline entry dated to the month or year starting on `first` is stored at."""
    return datetime.datetime.combine(first, NOON_UTC)


def written(value, precision):
    """A date as spreadsheets write it at its precision: "2013", "2013-01", "2013-01-31"."""
    if value is None:
        return ""
    return value.strftime(WRITTEN.get(precision, WRITTEN[Precision.DAY]))


def shown(value, precision):
    """A date or a moment as the pages show it at its precision, in the active language: "2013", "January 2011",
    "5 Jan 2011", or with its time "5 Jan 2011, 14:05" (a moment known exactly; a date known to the day has
    none); in French "janvier 2011", "5 jan. 2011", in Spanish "enero de 2011", "5 ene 2011" (formats/)."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        if precision in (Precision.TIME, ""):
            return date_format(value, "DATETIME_FORMAT")
    return date_format(value, SHOWN.get(precision, SHOWN[Precision.DAY]))
