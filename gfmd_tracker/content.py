"""The report's content in the reader's language (README, "Languages").

The report's English is the official text: it stays in each model's own columns (`title`, `text`, ...), which
every export, the open data, the history and the search read as before. An editor may add a French or a Spanish
translation of some of them (django-modeltrans keeps them in the record's `i18n` JSON column, `title_fr`,
`text_es`, ...). A page shows a field through `shown`: the reader's translation where an editor wrote one, marked
as a translation with the way to the original; otherwise the English, said to be untranslated.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language
from modeltrans.utils import build_localized_fieldname
from simple_history.models import HistoricalRecords

ORIGINAL = settings.MODELTRANS_DEFAULT_LANGUAGE  # the report's language
TRANSLATED = [code for code, name in settings.LANGUAGES if code != ORIGINAL]


@dataclass(frozen=True)
class Shown:
    """A field's text as a reader reads it: `text` in `language`; the report's `original` beside it."""

    text: str
    language: str
    original: str
    translated: bool = False  # an editor's translation of `original`
    untranslated: bool = False  # the reader reads another language, and none was written: `text` is the English

    def __str__(self):
        return self.text


def reader_language():
    """The page's language ("fr"), one of settings.LANGUAGES."""
    return (get_language() or ORIGINAL).split("-")[0]


def translation(obj, field, language):
    """The translation of `obj`'s `field` into `language` an editor wrote, or "" (the original's language: "")."""
    if language == ORIGINAL:
        return ""
    return ((obj.i18n or {}).get(build_localized_fieldname(field, language)) or "").strip()


def translatable(obj):
    """Whether `obj`'s kind of record holds translations (without reading a deferred column)."""
    return hasattr(type(obj), "i18n")


def shown(obj, field, language=None):
    """`obj`'s `field` as a reader of `language` (the page's) reads it (see the module's text)."""
    language = language or reader_language()
    original = getattr(obj, field) or ""
    text = translation(obj, field, language)
    if text:
        return Shown(text, language, original, translated=True)
    return Shown(original, ORIGINAL, original, untranslated=language != ORIGINAL and bool(original))


def untranslated_among(objects, *paths, language=None):
    """Whether a reader of `language` (the page's) reads some of `objects`' fields (`paths`: "title", or through a
    relation, "session.title") in the English for want of a translation: a list says so once, above its rows."""
    language = language or reader_language()
    if language == ORIGINAL:
        return False
    for obj in objects:
        for path in paths:
            *through, field = path.split(".")
            record = obj
            for name in through:
                record = getattr(record, name, None) if record is not None else None
            if record is not None and shown(record, field, language).untranslated:
                return True
    return False


class History(HistoricalRecords):
    """simple_history's records of a record's columns: django-modeltrans' virtual fields (`title_fr`, `title_i18n`,
    ...) are fields Django sees but not columns, and the history keeps the `i18n` column itself."""

    def fields_included(self, model):
        return [field for field in super().fields_included(model) if field.concrete]
