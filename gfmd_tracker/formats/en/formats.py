"""The English formats (FORMAT_MODULE_PATH): the dates and times of settings.py, which en-gb's own
formats would override ("12:42 a.m."). Date boxes show and read ISO first (2027-06-30), as the
browser's date picker sends it; en-gb's day-first dates are still read. Files keep ISO (exports.cell)."""

from django.conf import settings

DATE_FORMAT = settings.DATE_FORMAT
SHORT_DATE_FORMAT = settings.SHORT_DATE_FORMAT
TIME_FORMAT = settings.TIME_FORMAT
DATETIME_FORMAT = settings.DATETIME_FORMAT
SHORT_DATETIME_FORMAT = settings.SHORT_DATETIME_FORMAT
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
FIRST_DAY_OF_WEEK = 1  # Monday
