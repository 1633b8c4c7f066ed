"""The translations' CI check (README, "Languages"): every language's catalogue is complete (no untranslated and no
fuzzy message, format strings that match, per GNU msgfmt), the committed catalogues are what `makemessages` extracts
today, and the templates already translated hold no text outside a translation tag.

Issue #22 is translated one part at a time. `TRANSLATED_APPS` lists the apps whose templates and Python strings are
done (their locale/ catalogues are compared with a fresh extraction); `TRANSLATED_TEMPLATES` the template folders
checked for unmarked text (a folder, or single templates while a folder is half done). A step that translates an
app adds the app to the first and its templates folder to the second; nothing else here changes.
"""

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType

ROOT = Path(settings.BASE_DIR)
TRANSLATED_APPS = ["gfmd_tracker", "recommendations", "partnerships", "notifications", "opendata", "api"]
TRANSLATED_TEMPLATES = [  # folders or single templates, under the project's root
    "gfmd_tracker/templates",
    "gfmd_tracker/overrides/admin",
    "recommendations/templates/recommendations",
    "recommendations/templates/admin",
    "partnerships/templates",
    *[f"notifications/templates/notifications/{name}" for name in (
        "list.html", "preferences.html", "following.html", "saved_views.html", "unsubscribe.html",
        "unsubscribe_bad.html", "unsubscribed.html", "partials", "email/base.html", "email/base.txt",
        "email/digest.html", "email/digest.txt", "following", "email/weekly")],
    "opendata/templates",
    "api/templates",
]
OTHER_LANGUAGES = [code for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]

LETTER = re.compile(r"[^\W\d_]")
# A quoted argument a person would read, given to a tag or a filter without _( ): "Items", 'Your profile'. Format
# names ("DATETIME_FORMAT"), template names and URL names have no capital followed by a small letter.
LITERAL = re.compile(r"""(?<!_\()(["'])([A-Z][a-z][^"']*)\1""")
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}
NOT_READ = {"script", "style", "code", "kbd", "samp"}  # code, commands and names stay as they are


class _Text(HTMLParser):
    """Collects what a reader reads in HTML (or plain text): text and the attributes that are read out."""

    def __init__(self):
        super().__init__()
        self.found, self.inside = [], []

    def handle_starttag(self, tag, attrs):
        if tag in NOT_READ:
            self.inside.append(tag)
        attrs = dict(attrs)
        read = set(READ_ATTRIBUTES)
        if tag == "input" and attrs.get("type") in ("submit", "button", "reset"):
            read.add("value")
        self.found += [value for name, value in attrs.items() if name in read and value and LETTER.search(value)]

    def handle_endtag(self, tag):
        if self.inside and self.inside[-1] == tag:
            self.inside.pop()

    def handle_data(self, data):
        if not self.inside and LETTER.search(data):
            self.found.append(" ".join(data.split()))


def unmarked(source):
    """The text of a template's source that a person reads and no translation tag holds: its text outside
    {% translate %} and {% blocktranslate %}…{% endblocktranslate %}, the read attributes, and the quoted
    capitalised literals given to tags and filters without _( )."""
    kept, literals, until = [], [], None
    for token in Lexer(source).tokenize():
        words = token.split_contents() if token.token_type == TokenType.BLOCK else []
        if until:
            until = None if words and words[0] == until else until
            continue
        if token.token_type == TokenType.TEXT:
            kept.append(token.contents)
        elif words and words[0] in ("blocktranslate", "blocktrans", "comment"):
            until = "end" + words[0]
        elif token.token_type == TokenType.VAR or words and words[0] not in ("translate", "trans"):
            literals += [match[1] for match in LITERAL.findall(token.contents)]
    text = _Text()
    text.feed("".join(kept))
    text.close()
    return text.found + literals


def catalogues(app):
    return sorted((ROOT / app / "locale").glob("*/LC_MESSAGES/django.po"))


# What replaces a library's own translations (LOCALE_PATHS, written by hand: no makemessages).
LIBRARIES = sorted(path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("*/LC_MESSAGES/django.po"))


def messages(po):
    """The (context, message) pairs of a .po file, obsolete ones (#~) left out; the header's empty msgid too."""
    return set(entries(po))


def entries(po):
    """{(context, message): its translations (msgstr, or msgstr[0], [1]…, in order)} of a .po file, obsolete ones
    (#~) left out; the header's empty msgid too. A message may follow the one before without a blank line
    (makemessages writes a new catalogue of an app without plurals so, its header run into the first message)."""
    found, field, entry = {}, None, {}

    def keep(entry):
        found[entry.get("msgctxt"), entry["msgid"]] = tuple(value for key, value in entry.items()
                                                             if key.startswith("msgstr"))

    for line in [*Path(po).read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgctxt", "msgid ")) and any(key.startswith("msgstr") for key in entry):
            keep(entry)
            entry, field = {}, None
        if line.startswith(("msgctxt", "msgid ", "msgid_plural", "msgstr")):
            field = line.split(" ", 1)[0]
            entry[field] = entry.get(field, "") + _quoted(line.split(" ", 1)[1])
        elif line.startswith('"') and field:
            entry[field] += _quoted(line)
        elif not line.strip() and "msgid" in entry:
            keep(entry)
            entry, field = {}, None
    return found


def _quoted(text):
    return text.strip()[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


# --- the check itself, on samples whose answers are known


def test_the_scan_finds_text_outside_translation_tags():
    source = ('{% load i18n %}<h1>{% translate "Your profile" %}</h1><p>Saved {{ when }}.</p>'
              '{% blocktranslate trimmed %}Hello {{ name }}{% endblocktranslate %}'
              '<a href="{% url \'home\' %}" title="Home page">{{ item }}</a>{# a comment #}'
              '<input type="submit" value="Go"><code>make run</code>'
              '{% include "partials/x.html" with noun="Items" label=_("Done") %}{% now "DATETIME_FORMAT" %}')
    assert unmarked(source) == ["Saved .", "Home page", "Go", "Items"]


def test_the_scan_passes_a_template_whose_every_string_is_marked():
    source = ('{% load i18n %}<nav aria-label="{% translate "Main" %}"><a href="/">{% translate "Home" %}</a> · '
              '{{ count|floatformat:"g" }} — {% blocktranslate trimmed count n=count %}one item{% plural %}'
              '{{ n }} items{% endblocktranslate %}</nav>')
    assert unmarked(source) == []


def test_the_po_reader_reads_contexts_plurals_and_continued_lines(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\n\n#, fuzzy\nmsgctxt "month"\nmsgid "May"\nmsgstr "mai"\n\n'
                  'msgid "one item"\nmsgid_plural "%(n)s items"\nmsgstr[0] "un"\nmsgstr[1] "%(n)s"\n\n'
                  'msgid ""\n"Long "\n"line é"\nmsgstr "Longue"\n\n#~ msgid "Gone"\n#~ msgstr "Parti"\n',
                  encoding="utf-8")
    assert messages(po) == {(None, ""), ("month", "May"), (None, "one item"), (None, "Long line é")}


def test_the_po_reader_reads_a_header_run_into_the_first_message(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: fr\\n"\nmsgid ""\n"Long "\n"line"\nmsgstr ""\n\n'
                  'msgctxt "sort"\nmsgid "Due"\nmsgstr ""\n', encoding="utf-8")
    assert messages(po) == {(None, ""), (None, "Long line"), ("sort", "Due")}


# --- the project's catalogues


@pytest.mark.parametrize("app", TRANSLATED_APPS)
def test_every_translated_app_has_a_catalogue_for_every_other_language(app):
    assert [po.parent.parent.name for po in catalogues(app)] == sorted(OTHER_LANGUAGES)


@pytest.mark.parametrize("po", [po for app in TRANSLATED_APPS for po in catalogues(app)] + LIBRARIES, ids=str)
def test_every_message_is_translated_none_fuzzy_and_its_placeholders_match(po):
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ translated messages?\.\n", result.stderr), result.stderr


@pytest.mark.parametrize("po", [po for app in TRANSLATED_APPS for po in catalogues(app)] + LIBRARIES, ids=str)
def test_every_catalogue_is_compiled(po):
    """Django reads the .mo (`make messages`, which `make test` and `make run` run first)."""
    mo = po.with_suffix(".mo")
    assert mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime, f"{mo} missing or older: run make messages"


@pytest.mark.parametrize("app", TRANSLATED_APPS)
def test_the_catalogues_hold_exactly_what_makemessages_extracts(app, tmp_path, monkeypatch):
    """A string marked but missing from a catalogue, or a catalogue's message no longer in the code (run
    `makemessages` in the app's folder, then translate), fails here."""
    copy = tmp_path / app
    shutil.copytree(ROOT / app, copy, ignore=shutil.ignore_patterns("locale", "tests", "__pycache__", "static"))
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=[OTHER_LANGUAGES[0]], no_location=True, verbosity=0)
    extracted = messages(copy / "locale" / OTHER_LANGUAGES[0] / "LC_MESSAGES" / "django.po")
    for po in catalogues(app):
        committed = messages(po)
        assert (sorted(extracted - committed, key=str), sorted(committed - extracted, key=str)) == ([], []), po


def translated_templates():
    named = [ROOT / name for name in TRANSLATED_TEMPLATES]
    found = {path for name in named for path in ([name] if name.is_file() else name.rglob("*"))}
    return sorted(path for path in found if path.is_file())


@pytest.mark.parametrize("template", translated_templates(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_text_is_left_unmarked_in_a_translated_template(template):
    assert unmarked(template.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_message_has_one_translation_whichever_app_holds_it(language):
    """Django merges the apps' catalogues, the first app in INSTALLED_APPS winning: a message two apps translate
    differently would read as one app's on the other's pages (each app's tests pass alone, the suite not)."""
    found = {}
    for app in TRANSLATED_APPS:
        po = ROOT / app / "locale" / language / "LC_MESSAGES" / "django.po"
        for message, translation in entries(po).items():
            if message != (None, ""):  # the header
                found.setdefault(message, {})[app] = translation
    assert {message: by_app for message, by_app in found.items() if len(set(by_app.values())) > 1} == {}


def test_the_libraries_overrides_are_there_for_every_other_language():
    assert [po.parts[-3] for po in LIBRARIES] == sorted(OTHER_LANGUAGES)
