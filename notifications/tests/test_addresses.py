"""The `linked` filter makes the same links as Django's urlize, whose cost it spares texts holding no address."""

import pytest
from django.template.defaultfilters import urlize
from django.utils.safestring import SafeString

from notifications.templatetags.addresses import linked

TEXTS = [
    "Recommendation 2010/1.1/3: Interactive map is due in 7 days (22 Jun 2026). Its status: In progress, 40 %.",
    "See https://www.gfmd.org/pfp and the minutes.",
    "Read http://example.net/report?a=1&b=2.",
    "The portal www.un.org/migration says so.",
    "Mail focal.point@example.org, or call.",
    "Published at iom.int/news: the figures.",
    "Ask at gfmd.ORG.",
    "A <b>bold</b> claim & an \"escaped\" one: 5 > 3.",
    "Line one.\nLine two: no address at all.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_it_links_what_urlize_links_and_escapes_the_rest(text):
    assert linked(text) == urlize(text, autoescape=True)
    assert isinstance(linked(text), SafeString)


def test_an_address_becomes_a_link_and_markup_is_escaped():
    assert linked("See https://www.gfmd.org/pfp <now>.") == (
        'See <a href="https://www.gfmd.org/pfp" rel="nofollow">https://www.gfmd.org/pfp</a> &lt;now&gt;.')
    assert linked("Its status: <b>done</b>.") == "Its status: &lt;b&gt;done&lt;/b&gt;."
