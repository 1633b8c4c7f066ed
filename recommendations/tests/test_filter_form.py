"""The lists' filter form: the common filters first, the others under "More filters" (open when one
of them is set), every choice shown, and empty choices that say what they mean."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:list")
PROJECTS = reverse("partnerships:list")


def form_html(response):
    html = response.content.decode()
    start = html.index('<form method="get" class="filters card"')
    return html[start:html.index("</form>", start)]


def names_in_order(html):
    return list(dict.fromkeys(re.findall(r'name="([a-z_]+)"', html)))


def common_and_more(html):
    more_at = html.index('<details class="more-filters"')
    return names_in_order(html[:more_at]), names_in_order(html[more_at:])


def test_it_puts_the_common_filters_first_and_folds_the_others(viewer_client):
    html = form_html(viewer_client.get(LIST))
    common, more = common_and_more(html)
    assert common == ["q", "status", "meeting", "roundtable", "session", "owner"]
    assert more == ["priority", "theme", "responsible", "country", "due_after", "due_before", "overdue", "stale",
                    "updated_since", "freshness", "verification", "lineage", "co_chair"]
    assert '<details class="more-filters">' in html  # closed
    assert "<summary>More filters</summary>" in html


def test_the_projects_form_puts_stage_among_the_common_filters(viewer_client):
    common, more = common_and_more(form_html(viewer_client.get(PROJECTS)))
    assert common == ["q", "status", "stage", "owner"]
    assert more == ["priority", "theme", "responsible", "country", "due_after", "due_before", "overdue", "stale",
                    "updated_since", "freshness", "verification", "lineage", "partner"]


@pytest.mark.parametrize("query", [{"theme": "gender"}, {"overdue": "on"}, {"stale": "abc"}, {"co_chair": "Kenya"},
                                   {"lineage": "builds_on"}])
def test_more_filters_opens_by_itself_when_one_of_them_is_given(viewer_client, query):
    html = form_html(viewer_client.get(LIST, query))
    assert '<details class="more-filters" open>' in html
    assert "<summary>More filters (1 set)</summary>" in html


def test_more_filters_stays_closed_for_the_common_ones(viewer_client):
    html = form_html(viewer_client.get(LIST, {"meeting": "2010", "status": "planned", "q": "children"}))
    assert '<details class="more-filters">' in html


def test_a_checked_theme_is_shown_checked(viewer_client):
    html = form_html(viewer_client.get(LIST, {"theme": "gender"}))
    assert re.search(r'<input type="checkbox" name="theme" value="gender"[^>]* checked>', html)


def test_the_empty_choices_say_what_they_mean(viewer_client):
    html = form_html(viewer_client.get(LIST))
    assert "---------" not in html
    for name, label in [("meeting", "Any meeting"), ("roundtable", "Any roundtable"), ("country", "Any country")]:
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
        assert re.match(rf'\s*<option value="" selected>{label}</option>', select), (name, select[:80])
    assert 'name="q" placeholder="e.g. recruitment costs"' in html
    assert 'placeholder="Anyone: type a name"' in html
    assert "---------" not in form_html(viewer_client.get(PROJECTS))


def test_the_matrix_form_has_the_same_empty_choices(viewer_client):
    html = viewer_client.get(reverse("recommendations:matrix")).content.decode()
    assert "---------" not in html
    assert '<option value="" selected>Any meeting</option>' in html
