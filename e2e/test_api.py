"""The API in a real browser: a visitor calls it from its docs page (Swagger UI, served from this site under the
site's Content-Security-Policy: any violation is a console error, which fails the test); a government focal point
makes a personal token, logs an update with it, and sees it on the item's page."""

import json

import pytest
from playwright.sync_api import expect

from e2e.conftest import log_in, shot
from recommendations.models import Recommendation

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_visitor_calls_the_api_from_the_docs_page(page, app):
    page.goto(app.url + "/api/docs/")
    operation = page.locator(".opblock-get:has(.opblock-summary-path[data-path='/api/v1/recommendations/'])")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.locator("input[placeholder='session']").fill("2.1")
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    expect(status).to_have_text("200")
    body = operation.locator(".live-responses-table .response-col_description .microlight").first
    expect(body).to_contain_text('"key": "2010/2.1/1"')
    expect(body).not_to_contain_text('"owner"')
    shot(page, "api-docs")


def test_a_focal_point_logs_an_update_with_a_token_and_sees_it_on_the_item(page, app, playwright):
    staff = log_in(page, app, "staff")
    rec = Recommendation.objects.get_by_natural_key(2010, "2.1", 3)
    Recommendation.objects.filter(pk=rec.pk).update(owner=staff)
    page.goto(app.url + "/api/tokens/")
    page.get_by_label("Name").fill("Sri Lanka's reporting system")
    page.get_by_role("button", name="Create token").click()
    token = page.locator("#new-token").inner_text()
    expect(page.get_by_text("Copy it now: it is shown only this once.")).to_be_visible()
    shot(page, "api-tokens")

    program = playwright.request.new_context(base_url=app.url)  # no cookies: the token alone
    url = "/api/v1/recommendations/2010/2.1/3/"
    read = program.get(url, headers={"Authorization": f"Token {token}"})
    sent = program.post(url + "updates/", headers={"Authorization": f"Token {token}", "If-Match": read.headers["etag"],
                                                   "Content-Type": "application/json"},
                        data=json.dumps({"note": "Loans offered in Colombo from March.", "status": "in_progress",
                                         "progress": 25, "public": True}))
    assert sent.status == 201, sent.text()
    program.dispose()

    page.goto(app.url + "/recommendations/2010/2.1/3/")
    expect(page.locator(".timeline").first).to_contain_text("Loans offered in Colombo from March.")
    expect(page.locator("dl.key-facts")).to_contain_text("In progress")
