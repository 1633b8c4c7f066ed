"""The annex "International contributions to GFMD Mexico 2010" (report lines 1042-1072), row by row.

The annex is a table flattened into lines: one line per row, its cells (donor, amount, purpose) separated by
tabs, under the headings "<u>Financial</u>" and "<u>Non-Financial</u>" and the sub-headings "Countries" and
"Others". The expected rows are read from the report, never from the seed's fixtures."""

from pathlib import Path

import pytest

from recommendations.models import MeetingContribution

pytestmark = pytest.mark.django_db

LINES = (Path(__file__).resolve().parents[2] / "fixtures" / "gfmd2010" / "report.txt").read_text(
    encoding="utf-8").split("\n")
# How the annex names the donors that the tracker holds under another name.
DONOR = {"Chair in Office (Mexico)": "Mexico", "UK": "United Kingdom",
         "IOM": "International Organization for Migration", "UNICEF": "United Nations Children's Fund",
         "ILO": "International Labour Organization"}


def annex_rows():
    """[(line, donor cell, the row's cells joined by " — " after its heading)] of every row that names a donor."""
    assert LINES[1041] == "INTERNATIONAL CONTRIBUTIONS TO GFMD MEXICO 2010"
    assert LINES[1043].split("\t") == ["Donors", "Amount", "Purpose"]
    rows, heading = [], None
    for number in range(1045, 1073):
        cells = [cell for cell in LINES[number - 1].split("\t") if cell]
        if cells[0].startswith("<u>"):
            heading = cells[0].removeprefix("<u>").removesuffix("</u>")
        elif cells[0] not in ("Countries", "Others"):
            rows.append((number, cells[0], " — ".join([heading, *cells])))
    assert LINES[1072] == "" and LINES[1073].startswith("CO-CHAIRS")  # the next annex
    return rows


def test_the_annex_has_23_rows_naming_24_donors():
    rows = annex_rows()
    assert len(rows) == 23  # 18 financial (the Chair in Office and 17 under "Countries"), 5 non-financial
    assert sum(len(donor.split(", ")) for _, donor, _ in rows) == 24  # "ILO, UNOG" gave together


def test_every_row_is_a_contribution_of_each_donor_it_names_with_its_line():
    expected = {(line, DONOR.get(donor, donor), description)
                for line, donors, description in annex_rows() for donor in donors.split(", ")}
    seeded = MeetingContribution.objects.filter(meeting__year=2010, source_line__gte=1042).select_related("actor")
    assert {(c.source_line, c.actor.name, c.description) for c in seeded} == expected
    assert {c.role for c in seeded} == {MeetingContribution.Role.CONTRIBUTOR}


def test_a_donor_of_two_rows_has_two_contributions():
    netherlands = MeetingContribution.objects.filter(actor__name="Netherlands").order_by("source_line")
    assert [(c.source_line, c.description) for c in netherlands] == [
        (1057, "Financial — Netherlands — Euro 200,000 — Unearmarked"),
        (1067, "Non-Financial — Netherlands — Secondment, International Advisor"),
    ]


def test_the_host_is_recorded_as_the_annex_names_it():
    [mexico] = MeetingContribution.objects.filter(actor__name="Mexico")
    assert mexico.description == ("Financial — Chair in Office (Mexico) — MXN 17'368,550.40 — Overall hosting of the "
                                  "Fourth Meeting of the GFMD in Puerto Vallarta")
    assert mexico.source_line == 1046
