"""The report's content in the reader's language (README, "Languages").

The report's English is the official text: it stays in each model's own columns (`title`, `text`, ...), which
every export, the open data, the history and the search read as before. An editor may add a French or a Spanish
translation of some of them (django-modeltrans keeps them in the record's `i18n` JSON column, `title_fr`,
`text_es`, ...). A page shows a field through `shown`: the reader's translation where an editor wrote one, marked
as a translation with the way to the original; otherwise the English, said to be untranslated.
"""

from dataclasses import dataclass

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_info, pgettext_lazy
from modeltrans.fields import TranslatedVirtualField
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


class TranslatedHistory(HistoricalRecords):
    """The change history of a record with translations: `i18n` kept, django-modeltrans's virtual fields
    (`title_fr`, ...: not columns) left out. By their kind, not as `excluded_fields`: a past version is read back
    with the record's excluded fields (the admin's History), and a model's virtual fields are not all its kind's."""

    def fields_included(self, model):
        return [field for field in super().fields_included(model) if not isinstance(field, TranslatedVirtualField)]


def virtual_fields(*fields):
    """The names django-modeltrans gives a record's translated `fields` (`title_i18n`, `title_en`, `title_fr`, ...):
    not columns, and not all of them boxes of the admin (`admin/translations.py`)."""
    return [f"{field}_{suffix}" for field in fields for suffix in ("i18n", *(code for code, _ in settings.LANGUAGES))]


# --- the translations as editors write and read them: a box, a column, a key per field and language


def translated_fields(model):
    """The fields of `model` that editors translate (its `i18n`'s: ("title", "text")); () if none."""
    i18n = next((f for f in model._meta.concrete_fields if f.name == "i18n"), None)
    return tuple(i18n.fields) if i18n is not None else ()


def translation_names(*fields):
    """The names of `fields`' translations, each field's languages together: title_fr, title_es, text_fr, text_es.
    django-modeltrans's names of them (`i18n`'s keys, the admin's boxes), and the spreadsheets' and open data's
    columns (in the style of theirs: lower case, words joined by "_")."""
    return [build_localized_fieldname(field, language) for field in fields for language in TRANSLATED]


def translation_of(name):
    """(field, language) of a translation's name ("title_fr"), or None for any other name."""
    field, _, language = name.rpartition("_")
    return (field, language) if field and language in TRANSLATED else None


# In English: the open data's descriptions ("An editor's French translation of …").
LANGUAGE_NAMES = {code: LANG_INFO[code]["name"] for code in TRANSLATED}
# A language named inside a label, as each language writes it there: "Title (French)", « Titre (français) »,
# "Título (francés)" (Django's own names are capitalised: « Français »). A language added later without one here
# is named by Django's.
IN_A_LABEL = {"fr": pgettext_lazy("a translation's language, in a label", "French"),
              "es": pgettext_lazy("a translation's language, in a label", "Spanish")}


def translation_label(label, language):
    """The label of a translation's box or spreadsheet column: its field's `label`, then its language."""
    named = IN_A_LABEL.get(language) or get_language_info(language)["name_translated"]
    return f"{capfirst(label)} ({named})"


def stored(names):
    """Field names, a translation's as the column that keeps it (`i18n`), once each: what a save writes."""
    return list(dict.fromkeys("i18n" if translation_of(name) else name for name in names))


def translations(obj):
    """{language: {field: text}} of the translations an editor wrote of `obj`, every language present ({} if none):
    the API's `translations`."""
    return {language: {field: text for field in translated_fields(type(obj))
                       if (text := translation(obj, field, language))}
            for language in TRANSLATED}
