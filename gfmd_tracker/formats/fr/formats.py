"""French formats (FORMAT_MODULE_PATH): Django's, but dates as short as the English ones, "11 nov. 2010"
(Django's months abbreviated with their full stop, `N`; "mars", "mai", "juin", "août" whole), which fit
the lists' columns on a phone where "11 novembre 2010" would not. Date boxes show and read ISO first, as in
English; numbers keep Django's French ("12 345", "1 234,5")."""

DATE_FORMAT = SHORT_DATE_FORMAT = "j N Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = "j N Y, H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
