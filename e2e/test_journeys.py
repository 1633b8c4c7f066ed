"""What each kind of user does, in a real browser against the real server."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from recommendations.models import Recommendation, RecommendationUpdate, Status

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "Interactive map and databases on migration flows"  # 2010, session 1.1, number 1


def test_staff_finds_an_item_logs_progress_and_sees_it_in_the_timeline_and_my_items(page, app):
    user = log_in(page, app, "staff")
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    Recommendation.objects.filter(pk=rec.pk).update(owner=user)

    page.get_by_role("link", name="Recommendations", exact=True).click()
    page.get_by_label("Text").fill("interactive map")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("table.items tbody tr:has(td)")).to_have_count(1)
    page.get_by_role("link", name=TITLE).click()

    page.get_by_role("textbox", name="Note").fill("Prototype map shown to the Friends of the Forum.")
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_label("Progress (%)").fill("40")
    page.get_by_role("button", name="Save update").click()

    expect(page.get_by_role("status")).to_contain_text("Your update is in the timeline.")
    first_entry = page.locator("ol.timeline > li").first
    expect(first_entry).to_contain_text("Prototype map shown to the Friends of the Forum.")
    expect(first_entry).to_contain_text("Not started → In progress")
    expect(first_entry).to_contain_text("0% → 40%")
    shot(page, "staff-item-after-update")

    page.get_by_role("link", name="My items").click()
    row = page.locator("tr", has_text=TITLE)
    expect(row).to_contain_text("In progress")
    expect(row).to_contain_text("40%")
    shot(page, "staff-my-items")
    rec.refresh_from_db()
    assert (rec.status, rec.progress) == (Status.IN_PROGRESS, 40)


def test_a_due_date_survives_the_next_update_and_what_changed_shows_its_default_period(page, app, watch):
    watch.expect_status(400)  # the update without a note is refused, and its form shown again
    user = log_in(page, app, "staff")
    rec = Recommendation.objects.get_by_natural_key(2010, "1.1", 1)
    Recommendation.objects.filter(pk=rec.pk).update(owner=user)
    page.goto(app.url + rec.get_absolute_url())
    timeline = page.locator("ol.timeline > li")
    due = page.locator("dl.key-facts dt:text-is('Due date') + dd")

    page.get_by_role("textbox", name="Note").fill("Map planned for the end of June 2027.")
    page.get_by_label("Status").select_option(label="Planned")
    page.locator("#id_due_date").fill("2027-06-30")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_have_text("Your update is in the timeline.")
    expect(timeline.first.locator("ul.changes > li")).to_have_text(["Status: Not started → Planned",
                                                                     "Due date: 30 Jun 2027"])
    expect(due).to_have_text("30 Jun 2027")

    # The second update only adds a note; first without one, so the form is shown again.
    expect(page.locator("#id_due_date")).to_have_value("2027-06-30")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator("#note-error")).to_have_text("Write a note: what happened, or why the change.")
    expect(page.get_by_label("Status")).to_have_value("planned")
    expect(page.locator("#id_owner")).to_have_value(str(user.pk))
    expect(page.locator("#id_due_date")).to_have_value("2027-06-30")
    page.get_by_role("textbox", name="Note").fill("Budget confirmed by the co-chairs.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("status")).to_have_text("Your update is in the timeline.")
    expect(timeline.first.locator("p.note")).to_have_text("Budget confirmed by the co-chairs.")
    expect(timeline.first.locator("ul.changes")).to_have_count(0)
    expect(due).to_have_text("30 Jun 2027")
    expect(page.get_by_label("Status")).to_have_value("planned")
    expect(page.locator("#id_owner")).to_have_value(str(user.pk))
    expect(page.locator("#id_due_date")).to_have_value("2027-06-30")
    shot(page, "due-date-kept")
    rec.refresh_from_db()
    assert (rec.status, rec.due_date) == (Status.PLANNED, datetime.date(2027, 6, 30))
    # Newest first: the note, the due date set, the seed's first entry.
    assert list(rec.updates.values_list("due_date_before", "due_date_after")) == [
        (None, None), (None, datetime.date(2027, 6, 30)), (None, None)]

    page.goto(f"{app.url}/reports/changes/")
    page.get_by_role("button", name="Show").click()
    today = timezone.localdate()
    start = today - datetime.timedelta(days=30)
    expect(page).to_have_url(f"{app.url}/reports/changes/?start={start:%Y-%m-%d}&end={today:%Y-%m-%d}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"What changed between {start.day} {start:%b %Y} and {today.day} {today:%b %Y}")
    section = page.locator("section", has=page.get_by_role("heading", name="Recommendations", exact=True))
    expect(section.locator("table.summary tbody td")).to_have_text(["Not started", "Planned", "1"])
    shot(page, "what-changed-default-period")


def test_editor_assigns_an_owner_in_bulk_and_fixes_an_import(page, app, tmp_path):
    log_in(page, app, "editor")
    staff = app.users["staff"]
    page.goto(f"{app.url}/admin/recommendations/recommendation/")
    ids = list(Recommendation.objects.filter(session__code="2.2").values_list("pk", flat=True)[:2])
    for pk in ids:
        page.locator(f"input[name=_selected_action][value='{pk}']").check()
    page.locator("select[name=action]").select_option("assign_owner")
    page.get_by_role("button", name="Go").click()
    page.get_by_label("Owner").select_option(label=staff.username)
    page.get_by_label("Note").fill("Assigned for the 2011 follow-up round.")
    page.locator("button[name=apply], input[name=apply]").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Updated 2 items; each timeline has the note.")
    shot(page, "editor-bulk-assign")
    assert set(Recommendation.objects.filter(pk__in=ids).values_list("owner", flat=True)) == {staff.pk}

    from recommendations.imports.resources import RecommendationResource

    data = RecommendationResource().export(queryset=Recommendation.objects.filter(session__code="3.1"))
    rows = [list(r) for r in data]
    for row in rows:
        row[data.headers.index("progress")] = "25"
    rows[1][data.headers.index("session")] = "9.9"
    bad = tmp_path / "recommendations-bad.csv"
    bad.write_text(type(data)(*rows, headers=data.headers).export("csv"))
    page.goto(f"{app.url}/admin/recommendations/recommendation/import/")
    page.locator("input[type=file]").set_input_files(str(bad))
    page.locator("select[name=format]").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    message = page.get_by_text("Unknown session '9.9' for meeting 2010.")
    expect(message).to_be_visible()
    # Shown without hovering (import-export shows it only under the pointer; admin.css changes that).
    assert message.evaluate("el => getComputedStyle(el.closest('.validation-error-container')).opacity") == "1"
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    shot(page, "editor-import-error")
    assert not Recommendation.objects.filter(session__code="3.1", progress=25).exists()

    rows[1][data.headers.index("session")] = "3.1"
    good = tmp_path / "recommendations-fixed.csv"
    good.write_text(type(data)(*rows, headers=data.headers).export("csv"))
    page.locator("input[type=file]").set_input_files(str(good))
    page.locator("select[name=format]").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()
    expect(page.locator("table.import-preview ins").first).to_contain_text("25")  # the changed value, marked
    shot(page, "editor-import-preview")
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator("ul.messagelist")).to_contain_text("Import finished")
    assert Recommendation.objects.filter(session__code="3.1", progress=25).count() == len(rows)
    assert RecommendationUpdate.objects.filter(item__session__code="3.1", progress_after=25).count() == len(rows)


def test_viewer_drills_down_from_the_matrix_filters_by_theme_and_exports(page, app, tmp_path):
    log_in(page, app, "viewer")
    page.get_by_role("link", name="Status matrix", exact=True).click()
    expect(page.locator(".chart")).to_be_visible()
    shot(page, "viewer-matrix")
    cell = page.locator("tr", has_text="1.1 ").locator("td.num a").first
    count = int(cell.inner_text())
    cell.click()
    expect(page).to_have_url(re.compile(r"/recommendations/\?.*session=1\.1"))
    expect(page.locator("table.items tbody tr:has(td)")).to_have_count(count)
    status = re.search(r"status=(\w+)", page.url).group(1)

    page.get_by_text("More filters").click()  # themes are among them, folded away until one is set
    page.locator("input[name=theme][value=data-migration-profiles]").check()
    page.get_by_role("button", name="Apply filters").click()
    expected = Recommendation.objects.filter(session__code="1.1", status=status,
                                             themes__slug="data-migration-profiles").count()
    assert expected > 0
    expect(page.locator("table.items tbody tr:has(td)")).to_have_count(expected)
    expect(page.locator(".filters-stated")).to_contain_text("1.1")
    shot(page, "viewer-filtered-list")

    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    assert download.value.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) - 1 == expected and rows[0][:3] == ["meeting", "session", "number"]
    assert {(r[0], r[1]) for r in rows[1:]} == {("2010", "1.1")}

    with page.expect_download() as download:
        page.get_by_role("link", name="Export Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    download.value.save_as(tmp_path / "export.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "export.xlsx").worksheets[0]
    assert sheet.max_row - 1 == expected


def test_a_printed_report_states_its_filters_and_drops_the_navigation(page, app, artifacts):
    log_in(page, app, "viewer")
    page.goto(f"{app.url}/recommendations/?session=2.1&status=not_started")
    page.emulate_media(media="print")
    stated = page.locator(".filters-stated")
    expect(stated).to_be_visible()
    expect(stated).to_contain_text("2.1")
    expect(stated).to_contain_text("Not started")
    expect(page.locator("header.site-header nav")).to_be_hidden()
    expect(page.locator("form.filters")).to_be_hidden()
    page.pdf(path=str(artifacts / "printed-report.pdf"), format="A4")
    shot(page, "printed-report")


def test_two_editors_at_once_the_second_save_is_refused_with_the_text_kept(browser, app, watch):
    watch.expect_status(409)  # the refusal is a 409 Conflict page
    contexts = [browser.new_context(viewport={"width": 1280, "height": 900}) for _ in range(2)]
    first, second = (watch.attach(c.new_page()) for c in contexts)
    log_in(first, app, "editor")
    log_in(second, app, "administrator")
    url = f"{app.url}/recommendations/2010/1.2/1/"
    first.goto(url)
    second.goto(url)

    first.get_by_role("textbox", name="Note").fill("First: planned with IOM.")
    first.get_by_label("Status").select_option(label="Planned")
    first.get_by_role("button", name="Save update").click()
    expect(first.get_by_role("status")).to_contain_text("Your update is in the timeline.")

    second.get_by_role("textbox", name="Note").fill("Second: stalled, no budget.")
    second.get_by_label("Status").select_option(label="Stalled")
    second.get_by_role("button", name="Save update").click()
    expect(second.get_by_role("alert")).to_contain_text("Someone else changed this item while you were editing it")
    expect(second.get_by_role("textbox", name="Note")).to_have_value("Second: stalled, no budget.")
    shot(second, "concurrent-edit-refused")
    rec = Recommendation.objects.get_by_natural_key(2010, "1.2", 1)
    assert rec.status == Status.PLANNED
    assert not rec.updates.filter(note__startswith="Second").exists()
    for context in contexts:
        context.close()
