"""Contributions and the handover in the admin (recommendations/admin/forum.py): contributions edited,
imported and exported by their natural keys (meeting year, actor name, role, report line) with the report's words."""

import re
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from recommendations.imports.resources import MeetingContributionResource
from recommendations.models import Actor, Meeting, MeetingContribution
from recommendations.tests.test_admin import admin_form_data

pytestmark = pytest.mark.django_db

REPORT = Path(__file__).resolve().parents[2] / "fixtures" / "gfmd2010" / "report.txt"
HEADERS = ["meeting", "actor", "role", "description", "source_line"]


def annex_row(number):
    """A row of the annex "International contributions" as the seed words one: its cells joined by " — "."""
    cells = [cell for cell in REPORT.read_text(encoding="utf-8").split("\n")[number - 1].split("\t") if cell]
    return " — ".join(["Financial", *cells])


def contributions():
    return sorted(MeetingContribution.objects.values_list("meeting__year", "actor__name", "role", "description",
                                                          "source_line"))


def upload(client, rows):
    content = tablib.Dataset(*rows, headers=HEADERS).export("csv")
    url = reverse("admin:recommendations_meetingcontribution_import")
    file = SimpleUploadedFile("contributions.csv", content.encode("utf-8"), content_type="text/csv")
    return client.post(url, {"import_file": file, "format": 0, "resource": 0})


def test_an_editor_imports_a_contribution_row_of_the_annex(editor_client):
    MeetingContribution.objects.filter(actor__name="Norway").delete()  # whatever the seed holds of it
    norway = annex_row(1058)
    assert norway == "Financial — Norway — Euro 104,448.50 — For participants from developing countries"

    preview = upload(editor_client, [[2010, "Norway", "Contributor", norway, 1058]])

    assert "confirm_form" in preview.context
    assert not MeetingContribution.objects.filter(actor__name="Norway").exists()  # a preview writes nothing
    confirm = preview.context["confirm_form"]
    done = editor_client.post(reverse("admin:recommendations_meetingcontribution_process_import"),
                              {name: confirm.initial[name] for name in confirm.fields})
    assert done.status_code == 302
    assert contributions().count((2010, "Norway", "contributor", norway, 1058)) == 1


@pytest.mark.parametrize(("row", "message"), [
    ([2010, "Atlantis", "Contributor", "Gold", 1], "Unknown actor &#x27;Atlantis&#x27;."),
    ([1999, "Norway", "Contributor", "Gold", 1], "Unknown meeting &#x27;1999&#x27;: no meeting of that year is "
                                                  "recorded."),
    (["twenty-ten", "Norway", "Contributor", "Gold", 1], "The meeting must be a year, such as 2010, not "
                                                          "&#x27;twenty-ten&#x27;."),
    ([2010, "Norway", "Sponsor", "Gold", 1], "Unknown role &#x27;Sponsor&#x27;. Use one of: Contributor, Organiser."),
    ([2010, "Norway", "Contributor", "Gold", "line 5"], "The report&#x27;s line must be a whole number"),
])
def test_a_file_with_a_bad_row_says_what_is_wrong_and_writes_nothing(editor_client, row, message):
    before = contributions()
    good = [2010, "Netherlands", "Contributor", "Euro 200,000", 1057]

    response = upload(editor_client, [good, row])

    body = re.sub(r"\s+", " ", response.content.decode())
    assert "confirm_form" not in response.context
    assert message in body
    assert contributions() == before


def test_contributions_round_trip_through_an_empty_table():
    before = contributions()
    exported = MeetingContributionResource().export().export("csv")
    assert exported.splitlines()[0] == ",".join(HEADERS)
    assert "2010,Denmark,Contributor," in exported

    MeetingContribution.objects.all().delete()
    result = MeetingContributionResource().import_data(tablib.Dataset().load(exported, format="csv"))

    assert not result.has_errors() and not result.has_validation_errors()
    assert contributions() == before


def test_the_contributions_changelist_and_the_meetings_handover_are_in_the_admin(editor_client):
    changelist = editor_client.get(reverse("admin:recommendations_meetingcontribution_changelist"))
    assert changelist.status_code == 200
    assert "BBVA Bancomer Foundation" in changelist.content.decode()
    meeting = Meeting.objects.get(year=2010)
    page = editor_client.get(reverse("admin:recommendations_meeting_change", args=[meeting.pk])).content.decode()
    assert "The handover to the next year" in page
    assert 'name="next_chair_line" value="853"' in page and 'name="handover_line" value="855"' in page
    assert 'id="id_next_chair_country"' in page


def test_an_actor_on_two_rows_of_the_annex_is_imported_again_without_a_change():
    """The Netherlands stands on two rows of the annex (lines 1057 and 1067): the report's line tells them apart,
    so re-importing the exported table finds each row's own record instead of failing on two matches."""
    lines = [line for _, actor, _, _, line in contributions() if actor == "Netherlands"]
    assert lines == [1057, 1067]
    before = contributions()

    result = MeetingContributionResource().import_data(
        tablib.Dataset().load(MeetingContributionResource().export().export("csv"), format="csv"))

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["update"] + result.totals["skip"] == len(before) and result.totals["new"] == 0
    assert contributions() == before


def line_less(actor="Denmark", description="Support for the Civil Society Days"):
    return MeetingContribution(meeting=Meeting.objects.get(year=2010), actor=Actor.objects.get(name=actor),
                               role=MeetingContribution.Role.ORGANISER, description=description)


def test_an_actor_holds_a_role_at_a_meeting_once_without_a_line():
    """The rule (meeting, actor, role, line) lets rows without a line through as often as one likes (NULLs
    differ): a second line-less row is refused, so that the spreadsheet's key names one row."""
    line_less().save()
    with pytest.raises(IntegrityError), transaction.atomic():
        line_less(description="Again").save()
    with_a_line = line_less(description="Again, with its line")
    with_a_line.source_line = 120
    with_a_line.save()  # the same role on a line of its own is another row


def test_a_line_less_contribution_round_trips_and_imports_again_unchanged():
    line_less().save()
    before = contributions()
    exported = MeetingContributionResource().export().export("csv")
    assert "2010,Denmark,Organiser,Support for the Civil Society Days,\r\n" in exported

    result = MeetingContributionResource().import_data(tablib.Dataset().load(exported, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(before) and contributions() == before

    MeetingContribution.objects.all().delete()
    result = MeetingContributionResource().import_data(tablib.Dataset().load(exported, format="csv"))
    assert not result.has_errors() and not result.has_validation_errors()
    assert contributions() == before


def test_the_admin_refuses_a_second_line_less_row_with_a_message(editor_client):
    line_less().save()
    count = MeetingContribution.objects.count()
    response = editor_client.post(reverse("admin:recommendations_meetingcontribution_add"), {
        "meeting": Meeting.objects.get(year=2010).pk, "actor": Actor.objects.get(name="Denmark").pk,
        "role": "organiser", "description": "Again", "source_line": ""})
    assert response.status_code == 200
    assert ("This actor has this role at this meeting already without a report line: give each of its rows the "
            "report&#x27;s line, or change that row." in response.content.decode())
    assert MeetingContribution.objects.count() == count


def test_the_meetings_page_refuses_two_new_line_less_rows_of_one_actor_in_one_role(editor_client):
    """Both rows are new, so neither is in the database to be compared with: the inline compares them."""
    meeting = Meeting.objects.get(year=2010)
    count = MeetingContribution.objects.count()
    url = reverse("admin:recommendations_meeting_change", args=[meeting.pk])
    data = admin_form_data(editor_client.get(url))
    total = int(data["contributions-TOTAL_FORMS"])
    for i in (total, total + 1):
        data.update({f"contributions-{i}-role": "organiser", f"contributions-{i}-actor": Actor.objects.get(
            name="Denmark").pk, f"contributions-{i}-description": "x", f"contributions-{i}-source_line": ""})
    data["contributions-TOTAL_FORMS"] = total + 2
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert ("This actor has this role at this meeting already without a report line: give each of its rows the "
            "report&#x27;s line, or change that row." in response.content.decode())
    assert MeetingContribution.objects.count() == count


def test_the_meetings_page_reads_its_contributions_in_queries_that_do_not_grow_with_them(editor_client):
    """Each saved row shows its actor (linked to the actor's page) without a query of its own."""
    meeting = Meeting.objects.get(year=2010)
    url = reverse("admin:recommendations_meeting_change", args=[meeting.pk])
    editor_client.get(url)  # what a first request reads once (content types, permissions)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page = editor_client.get(url).content.decode()
        return len(captured), page

    before, _ = queries()
    assert MeetingContribution.objects.filter(meeting=meeting).count() == 25  # the annex's, and line 120's
    MeetingContribution.objects.bulk_create(
        MeetingContribution(meeting=meeting, actor=actor, role="organiser", description="More", source_line=5000)
        for actor in Actor.objects.exclude(name="Denmark")[:25])
    after, page = queries()
    assert after == before and after <= 15
    norway = Actor.objects.get(name="Norway")
    assert f'<a href="{reverse("admin:recommendations_actor_change", args=[norway.pk])}">Norway</a>' in page


def test_a_new_contribution_is_added_on_the_meetings_page(editor_client):
    meeting = Meeting.objects.get(year=2010)
    url = reverse("admin:recommendations_meeting_change", args=[meeting.pk])
    data = admin_form_data(editor_client.get(url))
    total = int(data["contributions-TOTAL_FORMS"])
    data.update({f"contributions-{total}-role": "organiser", f"contributions-{total}-actor": Actor.objects.get(
        name="Denmark").pk, f"contributions-{total}-description": "Hosted a side event", "contributions-TOTAL_FORMS":
        total + 1})
    assert editor_client.post(url, data).status_code == 302
    assert MeetingContribution.objects.get(actor__name="Denmark", role="organiser").description == "Hosted a side event"
