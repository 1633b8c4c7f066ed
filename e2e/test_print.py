"""Printouts, as a reader prints them from the browser to A4: every column of the status matrix, a
compact list, the dashboard's headline numbers, and the date, filters and page numbers on paper."""

import re

import pytest
from django.utils import dateformat, timezone
from playwright.sync_api import expect

from e2e.conftest import log_in, pdf_shot, pdf_text, shot

pytestmark = pytest.mark.django_db(transaction=True)

COLUMNS = ["Session", "Not started", "Planned", "In progress", "Implemented", "Ongoing", "Stalled", "Not pursued",
           "Total", "Closed"]


def print_to_pdf(page, path):
    """What the browser's print dialog makes of the page on A4 (it honours the page's own @page size)."""
    page.emulate_media(media="print")
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True)
    return pdf_text(path)


def flat(text):
    return " ".join(text.split())


def test_the_printed_matrix_holds_every_column_and_whole_roundtable_headings_on_a4(page, app, artifacts):
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/reports/matrix/")
    text = print_to_pdf(page, artifacts / "printed-matrix.pdf")
    pdf_shot(artifacts / "printed-matrix.pdf", "printed-matrix")
    first_page = text.split("\f")[0]
    heading = next(line for line in first_page.splitlines() if "Session" in line)
    # Every column heading on the first page, in order (two-word headings may wrap onto the line above).
    header = flat(" ".join(first_page.splitlines()[first_page.splitlines().index(heading) - 1:][:2]))
    assert all(column.split()[-1] in header for column in COLUMNS), header
    assert "All sessions 41 0 4 0 0 0 0 45 0%" in flat(first_page)  # the whole total row, every column
    for title in ("Roundtable 1: Partnerships for migration and human development: shared prosperity – shared "
                  "responsibility", "Roundtable 3: Policy and institutional coherence to address the relationship "
                  "between migration and development"):
        assert title in flat(first_page)
    assert re.search(r"\s1/\d+$", first_page, re.MULTILINE)  # the page number, bottom right, in every language


def test_a_printout_states_when_it_was_printed_its_filters_and_its_page_numbers(page, app, artifacts):
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/recommendations/?session=2.1")
    today = dateformat.format(timezone.localtime(), "j M Y")
    text = print_to_pdf(page, artifacts / "printed-list-2.1.pdf")
    expect(page.locator("p.printed")).to_be_visible()
    assert f"Printed {today}, " in text and "Figures as they stood then." in text
    assert "Filters: Session code: 2.1" in flat(text)
    assert re.search(r"\s1/1$", text, re.MULTILINE)

    page.goto(f"{app.url}/reports/matrix/?as_of=2011-01-01")
    text = print_to_pdf(page, artifacts / "printed-matrix-as-of.pdf")
    assert f"Printed {today}, " in text and "Statuses as of the end of 1 Jan 2011." in text


def test_a_printed_list_of_the_45_recommendations_is_compact(page, app, artifacts):
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/recommendations/")
    text = print_to_pdf(page, artifacts / "printed-list.pdf")
    pages = text.rstrip("\f").split("\f")
    assert len(pages) <= 4, len(pages)
    assert re.search(rf"\s{len(pages)}/{len(pages)}$", pages[-1], re.MULTILINE)
    assert len(re.findall(r"(Not started|In progress)", text)) == 45  # every row, with its status


def test_the_printed_dashboard_keeps_its_headline_numbers(page, app, artifacts):
    log_in(page, app, "viewer")
    page.emulate_media(media="print")
    tiles = page.locator(".tiles .tile")
    expect(tiles.first).to_be_visible()
    numbers = tiles.locator(".big").all_inner_texts()
    assert numbers[:4] == ["45", "57", "3", "0%"]  # recommendations, follow-up items, PfP projects, closed
    text = print_to_pdf(page, artifacts / "printed-dashboard.pdf")
    assert "Where the follow-up stands " + " ".join(numbers) in flat(text)  # every tile's number, on paper
    shot(page, "printed-dashboard")
