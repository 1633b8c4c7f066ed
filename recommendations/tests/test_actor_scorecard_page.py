"""An actor's page is its scorecard (the dataset counted by hand: conftest.py): the figures by kind with how they are
computed, two small charts of how they evolved with their table, the lists with each item's freshness; the
public's of published items only."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def page(client, actor):
    return client.get(reverse("recommendations:actor", args=[actor.pk])).content.decode()


def row(body, label):
    """The cells of the scorecard table's row `label`, as text."""
    found = body[body.index(f'<td class="main">{label}</td>'):]
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                        found[:found.index("</tr>")])][1:]


def test_the_page_shows_the_scorecard_by_kind_with_its_method(viewer_client, atlantis):
    body = page(viewer_client, atlantis)
    assert "<h2 id=\"scorecard-heading\">Scorecard</h2>" in body
    assert "<summary>How this is computed</summary>" in body
    assert "<summary>How the scorecard is computed</summary>" in body
    assert row(body, "Recommendations")[:2] == ["4", "3 (75%)"]
    assert row(body, "Follow-up items")[:2] == ["1", "1 (100%)"]
    assert row(body, "Actions")[:2] == ["2", "1 (50%)"]
    assert '<td class="main">PfP projects</td>' not in body  # none: no row
    total = row(body, "All it is responsible for")
    assert (total[0], total[1], total[3], total[4], total[5], total[6], total[8]) == (
        "7", "5 (71%)", "2", "74%", "1", "1", "1")  # items, reported, unknown, progress, claimed, verified, slipped
    assert row(body, "PfP projects it partners in")[:2] == ["2", "1 (50%)"]


def test_the_public_page_counts_and_lists_the_published_only(viewer_client, atlantis):
    from django.test import Client

    body = page(Client(), atlantis)
    total = row(body, "All it is responsible for")
    assert (total[0], total[1], total[3], total[4]) == ("5", "4 (80%)", "1", "80%")
    assert row(body, "PfP projects it partners in")[0] == "1"
    assert "Train the clerks" in body and "Draft the law" not in body  # A1 is unpublished
    assert "Draft the law" in page(viewer_client, atlantis)


def test_the_lists_show_each_items_freshness(viewer_client, atlantis):
    body = page(viewer_client, atlantis)
    actions = body[body.index("Responsible for: actions"):]
    first = actions[:actions.index("</tr>")]
    assert ">1.1/1 · a1 Draft the law</a>" in first
    assert 'href="/recommendations/2010/1.1/1/actions/a1/"' in first
    assert re.search(r'<span class="freshness freshness-\w+"><span class="light" aria-hidden="true"></span>\w+ · '
                     r'latest update \d+ days ago</span>', first)


def test_the_evolution_is_drawn_and_tabled(viewer_client, reported):
    body = page(viewer_client, reported)
    assert "<figcaption>Reports per quarter" in body and "<figcaption>Closures verified, in all" in body
    figures = body[body.index('<div class="chart-figures">'):]
    figures = figures[:figures.index("</table>")]
    assert ('<tr><th scope="row">2025 Q2</th><td class="num">2</td><td class="num">1</td><td class="num">3</td>'
            '<td class="num">1</td></tr>') in figures
    periods = figures.count('<th scope="row">')
    charts = body[body.index('<div class="evolution">'):body.index('<div class="chart-figures">')]
    assert charts.count("<rect ") == 2 * periods
    assert '<title>2025 Q2: 2</title>' in charts


def test_an_actor_with_no_timeline_says_so(viewer_client):
    from recommendations.models import Actor

    nobody = Actor.objects.create(name="Nowhere", kind=Actor.Kind.OTHER)
    body = page(viewer_client, nobody)
    assert "Nothing it is responsible for has a timeline yet." in body
    assert row(body, "All it is responsible for")[:5] == ["0", "0", "0", "0", "unknown"]


def test_the_page_reads_a_bounded_number_of_queries(viewer_client, atlantis, django_assert_max_num_queries):
    from recommendations import versioning

    versioning.clear()
    with django_assert_max_num_queries(40):
        page(viewer_client, atlantis)
    with django_assert_max_num_queries(28):  # the scorecard counted once per data version and day
        page(viewer_client, atlantis)
