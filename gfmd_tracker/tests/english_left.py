"""English interface text left on a page shown in French or Spanish (issue #22: "check that no English string
remains on the pages visited, apart from untranslated content, which is marked").

What counts as English interface text: the English of a message in a catalogue (each of our apps' locale/<language>/
LC_MESSAGES/django.po, and Django's own: its core, contrib.auth and contrib.admin, django-filter) whose translation
into the page's language differs from it, is missing, or is fuzzy (Django would show the English), and that a
reader notices: two words or more, or a word of six letters or more. A message whose English is also the
language's own (part of one of its translations: "Total", "Version") is not counted.

Where it is looked for: the page's visible text (the title and text, and what is read out: title, aria-label,
placeholder, alt, a submit button's value), not inside an element marked with another language (lang="en": the
report's English shown untranslated, marked so; the language switcher names each language in its own), nor in
<code>, <kbd>, <samp>, <script>, <style>.

Catalogues are read from their .po text (no compiled file needed); no third-party parser.
"""

import ast
import functools
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import django
import django_filters
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
OUR_APPS = ["gfmd_tracker", "recommendations", "partnerships", "notifications", "opendata", "api"]
DJANGO = Path(django.__file__).parent
THEIR_CATALOGUES = [DJANGO / "conf", DJANGO / "contrib" / "auth", DJANGO / "contrib" / "admin",
                    Path(django_filters.__file__).parent]

NOT_READ = {"script", "style", "code", "kbd", "samp", "template"}
INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "data", "del", "dfn", "em", "i", "ins", "mark", "q", "s", "small",
          "span", "strong", "sub", "sup", "time", "u", "var"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
OWN_NAMES = {name for code, name in settings.LANGUAGES}
HIDDEN = "\x1f"  # stands for a <code>… left out, inside a sentence: no message matches across it

PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[\w.]*\}")
TAG = re.compile(r"<(code|kbd|samp)\b[^>]*>.*?</\1>|<[^>]+>", re.DOTALL)
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


# The catalogues ----------------------------------------------------------------------------------------------

def _entries(path):
    """(msgid, msgid_plural, [msgstr…], fuzzy) of each message of a .po file (entries are separated by a blank
    line), the header and obsolete messages left out."""
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry, key, fuzzy = {}, None, False
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
            elif line and not line.startswith("#"):
                key, _, text = line.partition(" ")
                entry[key] = ast.literal_eval(text)
        if entry.get("msgid"):
            forms = [entry[key] for key in sorted(entry, key=_form) if key.startswith("msgstr")]
            yield entry["msgid"], entry.get("msgid_plural"), forms, fuzzy


def _form(key):
    return int(key[7:-1]) if key.startswith("msgstr[") else 0


def catalogues(language):
    """Every catalogue of `language`: ours first, then Django's and django-filter's."""
    ours = [ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po" for app in OUR_APPS]
    theirs = [base / "locale" / language / "LC_MESSAGES" / name for base in THEIR_CATALOGUES
              for name in ("django.po", "djangojs.po")]
    return [path for path in [*ours, *theirs] if path.exists()]


def literal(message):
    """What a reader sees of a message: its markup and placeholders left out, a <code> element too."""
    text = html.unescape(TAG.sub(lambda m: HIDDEN if m.group(1) else "", message))
    return " ".join(PLACEHOLDER.sub(HIDDEN, text).replace(HIDDEN, " ").split())


def noticed(message):
    """A message a reader would notice in English: two words or more (one of three letters or more: not "is in"),
    or a word of six letters or more. A language's own name ("English") is meant to be shown as it is."""
    words = WORD.findall(literal(message))
    return literal(message) not in OWN_NAMES and (
        len(words) >= 2 and any(len(word) >= 3 for word in words) or any(len(word) >= 6 for word in words))


def one_word(message):
    return len(WORD.findall(literal(message))) == 1


def pattern(message):
    """A message as shown on a page: its placeholders any text on the same line, its spacing any spacing."""
    text = html.unescape(TAG.sub(lambda m: HIDDEN if m.group(1) else "", message))
    parts = re.split(f"((?:{PLACEHOLDER.pattern}|{HIDDEN})+)", text)
    # A placeholder holds a few words, a count in a word alone's message ("45 recommendations", "12 345").
    any_text = "(?:\\S|[\u00a0\u202f]){0,20}?" if one_word(message) else "[^\n]{0,60}?"
    regex = "".join(any_text if index % 2 else r"\s+".join(map(re.escape, re.split(r"\s+", part)))
                    for index, part in enumerate(parts) if part)
    if one_word(message):  # a word alone is a label, a heading, a button: the whole line, or "Word: value"
        return re.compile(r"^" + regex + r"(?:\s*:[^\n]*)?$", re.MULTILINE)
    return re.compile(r"(?<!\w)" + regex + r"(?!\w)")


@functools.cache
def english_messages(language):
    """{English text: its pattern} of every message a reader of `language` would notice left in English."""
    english, translations = set(), []
    for path in catalogues(language):
        for msgid, plural, forms, fuzzy in _entries(path):
            forms = [] if fuzzy else forms
            translations += [form for form in forms if form]
            shown = [*(forms or [""]), *[""] * (2 - len(forms))]
            english |= {text for text, translated in ((msgid, shown[0]), (plural, shown[-1]))
                        if text and translated != text}
    own = [literal(text) for text in translations]
    own_words = {text.casefold() for text in own if " " not in text}
    return {text: pattern(text) for text in english
            if noticed(text) and not _own(literal(text), own, own_words)}


def _own(words, translations, own_words):
    """Whether `words` are the language's too: one word, the whole of one of its translations in any case
    ("Public", a label capitalised from the French "public"); more, words in one of them (not a path in it:
    "/recommendations/")."""
    if " " not in words:
        return words.casefold() in own_words
    text = "\n".join(translations)
    return words in text and re.search(r"(?<![\w/])" + re.escape(words) + r"(?![\w/])", text)


# The page ----------------------------------------------------------------------------------------------------

class _Visible(HTMLParser):
    """The text of a page a reader reads, one line per block (a paragraph, a cell, a button…), and the read
    attributes one per line; elements in another language than the page's, and code, left out."""

    def __init__(self, language):
        super().__init__()
        self.language, self.open, self.lines, self.line = language, [], [], []

    def skipping(self):
        return any(skip for _, skip in self.open)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other = (attrs.get("lang") or self.language).split("-")[0] != self.language
        if tag not in INLINE:
            self.end_line()
        if not self.skipping() and not other:
            self.lines += [attrs[name] for name in READ_ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
                self.lines.append(attrs["value"])
        if tag in NOT_READ and not self.skipping():
            self.line.append(HIDDEN)
        if tag not in VOID:
            self.open.append((tag, other or tag in NOT_READ))

    def handle_endtag(self, tag):
        if tag in (name for name, _ in self.open):
            while self.open.pop()[0] != tag:
                pass
        if tag not in INLINE:
            self.end_line()

    def handle_data(self, data):
        if not self.skipping():
            self.line.append(data)

    def end_line(self):
        text = " ".join("".join(self.line).split())
        if text.strip(HIDDEN + " "):
            self.lines.append(text)
        self.line = []


def visible_lines(page_html, language):
    parser = _Visible(language)
    parser.feed(page_html)
    parser.close()
    parser.end_line()
    return parser.lines


def english_left(page_html, language, content=()):
    """The English messages found on a page shown in `language`, each with the line it is on, sorted; a message
    found inside one of the `content` texts (the report's English, a note someone wrote) is not counted."""
    text, content = "\n".join(visible_lines(page_html, language)), paragraphs(content)
    found = set()
    for english, regex in english_messages(language).items():
        if not all(word in text for word in WORD.findall(literal(english))):
            continue
        for match in regex.finditer(text):
            start, end = text.rfind("\n", 0, match.start()) + 1, text.find("\n", match.end())
            line = text[start:end if end >= 0 else None]
            if not in_content(line, match.start() - start, match.end() - start, content):
                found.add((english, line))
    return sorted(found)


def in_content(line, start, end, content):
    """Whether line[start:end] lies in one of the `content` texts (each paragraph of one) shown there from its
    beginning, whole or cut short after it ("… and …")."""
    found = line[start:end]
    for text in content:
        offset = text.find(found)
        while offset >= 0:
            if line[:start].endswith(text[:offset]):
                return True
            offset = text.find(found, offset + 1)
    return False


def report_content(apps=("recommendations", "partnerships")):
    """The texts the database holds (the report's English, notes people wrote, names): every text column of
    the apps' models but choices, slugs, addresses and their history's copies."""
    from django.apps import apps as registry
    from django.db import models

    texts = []
    for model in (m for app in apps for m in registry.get_app_config(app).get_models()):
        columns = [field.attname for field in model._meta.concrete_fields
                   if isinstance(field, (models.CharField, models.TextField)) and not field.choices
                   and not isinstance(field, (models.SlugField, models.URLField, models.EmailField))]
        if columns and not model.__name__.startswith("Historical"):
            for row in model._default_manager.values_list(*columns):
                texts += row
    return texts


def paragraphs(texts):
    """The paragraphs of `texts` as a page shows them: one line each, spaces collapsed."""
    return sorted({" ".join(paragraph.split()) for text in texts if text for paragraph in str(text).splitlines()}
                  - {""})


def no_english_left(page_html, language, where="", content=(), known=()):
    """Fails, naming each, when English interface text is left on a page shown in French or Spanish; `known`:
    messages known to be left in English (for a step still to come), which are not counted."""
    if language == settings.LANGUAGE_CODE:
        return
    left = [(english, line) for english, line in english_left(page_html, language, content) if english not in known]
    assert not left, f"English left on {where or 'the page'} ({language}):\n" + "\n".join(
        f"  {english!r} in {line!r}" for english, line in left)
