"""Imports an editor can trust: the preview starts with what the file does and shows the changed rows
first, the unchanged ones folded away; the export page's "Select all" works under the CSP."""

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from recommendations.models import Recommendation


def test_an_import_preview_starts_with_its_summary(page, app, tmp_path):
    import tablib

    from recommendations.imports.resources import RecommendationResource

    data = RecommendationResource().export(queryset=Recommendation.objects.all())
    rows = [list(r) for r in data]
    rows[2][data.headers.index("status")] = "Planned"
    rows[7][data.headers.index("progress")] = "30"
    new = dict.fromkeys(data.headers, "") | {"meeting": "2010", "session": "1.1", "number": "99",
                                              "title": "A new outcome", "text": "Added in the browser test.",
                                              "status": "Not started", "progress": "0"}
    rows.append([new[h] for h in data.headers])
    upload = tmp_path / "recommendations.csv"
    upload.write_text(tablib.Dataset(*rows, headers=data.headers).export("csv"))

    log_in(page, app, "editor")
    page.goto(f"{app.url}/admin/recommendations/recommendation/import/")
    page.locator("input[type=file]").set_input_files(str(upload))
    page.locator("select[name=format]").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()

    summary = page.locator(".import-summary li")
    expect(summary).to_have_text(["1 new", "2 changed", f"{len(data) - 2} unchanged", "0 errors"])
    changed = page.locator("table.import-preview").first
    assert page.locator(".import-summary").bounding_box()["y"] < changed.bounding_box()["y"]
    expect(changed.locator("tbody tr td.row-number")).to_have_text(["4", "9", str(len(data) + 2)])
    expect(changed.locator("tbody tr").first).to_contain_text("Not started → Planned")
    folded = page.locator("details.unchanged-rows")
    expect(folded.locator("table")).to_be_hidden()
    shot(page, "import-preview", full_page=False)
    # The preview fits the screen's width: no verbatim text on one line.
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366 * 2
    folded.locator("summary").click()
    expect(folded.locator("tbody tr")).to_have_count(len(data) - 2)
    expect(page.get_by_role("button", name="Confirm import")).to_be_visible()


def test_the_export_pages_select_all_works_and_names_the_file_as_the_lists_do(page, app):
    log_in(page, app, "editor")
    page.goto(f"{app.url}/admin/recommendations/recommendation/export/")
    select_all = page.get_by_label("Select all")
    fields = page.locator('.selectable-field-export-row input[type=checkbox]:not(#select-all-toggle)')
    # 12, the follow-up state (#20): freshness, verification, roll-up; title and text in French and Spanish (#22)
    expect(fields).to_have_count(21)
    select_all.uncheck()
    assert fields.evaluate_all("boxes => boxes.filter(b => b.checked).length") == 0
    select_all.check()
    assert fields.evaluate_all("boxes => boxes.filter(b => !b.checked).length") == 0
    fields.nth(4).uncheck()  # one field left out: "Select all" no longer says all are
    expect(select_all).not_to_be_checked()
    fields.nth(4).check()
    expect(select_all).to_be_checked()

    page.locator("select[name=format]").select_option(label="xlsx")
    with page.expect_download() as download:
        page.get_by_role("button", name="Submit").click()
    assert download.value.suggested_filename == f"gfmd-recommendations-{timezone.localdate():%Y-%m-%d}.xlsx"
