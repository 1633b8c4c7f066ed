"""The house rules of issue #16 that a reviewer checks by reading, kept by a test so that no change breaks them
unnoticed: small modules, simple functions, database-specific code behind one seam, no HTML built in Python."""

import io
import re
import tokenize
from pathlib import Path

from django.conf import settings
from radon.complexity import cc_visit

APPS = ("gfmd_tracker", "recommendations", "partnerships", "api", "opendata", "notifications")
# String literals: one token on Python 3.11; an f-string's text is FSTRING_MIDDLE from 3.12.
STRING_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}
MAX_LINES = 400
MAX_COMPLEXITY = 12
# An HTML element opened or closed in a string: markup belongs in templates.
HTML_TAG = re.compile(r"</?(a|b|br|div|em|form|h[1-6]|i|img|input|label|li|ol|option|p|select|span|strong|svg|"
                      r"table|tbody|td|th|thead|tr|ul)\b[^<>]*>", re.IGNORECASE)


def application_modules():
    """Every Python module of the application: not its tests, migrations or the dev tools (tools/)."""
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in sorted((base / app).rglob("*.py")):
            parts = path.relative_to(base).parts
            if "migrations" in parts or "tests" in parts or path.name.startswith("test_"):
                continue
            yield path.relative_to(base), path.read_text()


def test_the_rules_read_the_application_modules():
    names = {str(path) for path, _ in application_modules()}
    assert {"recommendations/services.py", "recommendations/db/postgres.py", "api/views.py"} <= names
    assert not any("tests" in name or "migrations" in name for name in names)


def test_no_module_is_over_400_lines():
    long = {str(path): source.count("\n") for path, source in application_modules()
            if source.count("\n") > MAX_LINES}
    assert long == {}


def test_no_function_is_over_cyclomatic_complexity_12():
    complex_ = {f"{path}: {block.fullname}": block.complexity for path, source in application_modules()
                for block in cc_visit(source) if block.complexity > MAX_COMPLEXITY}
    assert complex_ == {}


def test_database_specific_code_lives_in_the_database_seam_only():
    outside = [str(path) for path, source in application_modules()
               if "connection.vendor" in source and path.parts[:2] != ("recommendations", "db")]
    assert outside == []


def strings(source):
    """(line, text) of each string literal of `source` that is a value, not a docstring (a docstring may
    name an element: "a column heading (<th>)")."""
    previous = tokenize.NEWLINE
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type in STRING_TOKENS and previous not in STATEMENT_START:
            yield token.start[0], token.string
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type


STATEMENT_START = {tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}


def test_no_python_module_builds_html():
    markup = [f"{path}:{line}" for path, source in application_modules()
              for line, text in strings(source) if HTML_TAG.search(text)]
    assert markup == []


def test_the_html_rule_sees_markup_in_a_string():
    # The rule above would pass on any code if its pattern matched nothing: it must see these.
    for string in ('"<td>"', "f'<a href=\"{url}\">'", '"</span>"', "'<svg viewBox=\"0 0 1 1\">'"):
        assert HTML_TAG.search(string), string
    assert not HTML_TAG.search('"<url_name>_update"')
    assert list(strings('x = f"<td>{y}</td>"\n')) == [(1, 'f"<td>{y}</td>"')]
    assert list(strings('def f():\n    """A heading (<th>)."""\n')) == []
