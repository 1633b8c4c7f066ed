"""Spanish formats (FORMAT_MODULE_PATH): Django's, but dates as short as the English ones, "11 nov 2010"
(Django's three-letter months, `b`: its abbreviations with a full stop mix "Ene." and "marzo"), which fit
the lists' columns on a phone where "11 de noviembre de 2010" would not. Date boxes show and read ISO first,
as in English; numbers keep Django's Spanish ("12 345", "1 234,5")."""

DATE_FORMAT = SHORT_DATE_FORMAT = "j b Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j b Y, H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
