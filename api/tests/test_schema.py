"""The OpenAPI 3 schema validates (drf-spectacular's own check, warnings as failures) and documents every
endpoint; the docs page is Swagger UI from this site's static files, with no inline script or style and nothing
from another host, so the site's Content-Security-Policy holds."""

import io
import re

import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db

PATHS = {"/api/v1/", "/api/v1/meetings/", "/api/v1/meetings/{year}/", "/api/v1/sessions/",
         "/api/v1/sessions/{year}/{code}/", "/api/v1/actors/", "/api/v1/actors/{name}/", "/api/v1/themes/",
         "/api/v1/themes/{slug}/", "/api/v1/recommendations/", "/api/v1/recommendations/{year}/{code}/{number}/",
         "/api/v1/recommendations/{year}/{code}/{number}/updates/", "/api/v1/follow-up-items/",
         "/api/v1/follow-up-items/{year}/{code}/{number}/", "/api/v1/follow-up-items/{year}/{code}/{number}/updates/",
         "/api/v1/projects/", "/api/v1/projects/{id}/", "/api/v1/projects/{id}/updates/", "/api/v1/partners/",
         "/api/v1/lineage/", "/api/v1/actions/", "/api/v1/actions/{key}/", "/api/v1/actions/{key}/updates/"}


def test_the_schema_validates_without_a_warning(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=io.StringIO())
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"].startswith("3.") and schema["info"]["version"] == "1"
    assert set(schema["paths"]) == PATHS
    assert set(schema["paths"]["/api/v1/recommendations/{year}/{code}/{number}/updates/"]) == {"get", "post"}
    filters = {p["name"] for p in schema["paths"]["/api/v1/recommendations/"]["get"]["parameters"]}
    # The list's own filters (the FilterSet), as_of, and the cursor; not the list page's sort.
    assert {"q", "status", "meeting", "session", "theme", "owner", "responsible", "country", "overdue", "stale",
            "updated_since", "lineage", "co_chair", "as_of", "cursor", "page_size"} <= filters
    assert "sort" not in filters
    assert set(schema["paths"]["/api/v1/actions/{key}/updates/"]) == {"get", "post"}
    action_filters = {p["name"] for p in schema["paths"]["/api/v1/actions/"]["get"]["parameters"]}
    assert {"q", "status", "verification", "freshness", "parent_kind", "meeting", "session", "owner", "as_of",
            "cursor", "page_size"} <= action_filters and "sort" not in action_filters
    assert "knoxApiToken" in schema["components"]["securitySchemes"]


def test_the_schema_is_served(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert yaml.safe_load(response.content)["info"]["title"] == "GFMD Tracker API"


def test_the_docs_page_loads_only_this_sites_files(client):
    page = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in sources
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css" in sources
    assert "/api/docs/?script=" in sources
    assert all(source.startswith("/") for source in sources), sources
    assert "<style" not in page and " style=" not in page
    assert not re.search(r"<script>|<script [^>]*>[^<]", page)  # no inline script
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"] == "application/javascript"
    assert '"/api/schema/"' in script.content.decode()
    for source in sources:
        if source.startswith("/static/"):
            assert client.get(source).status_code == 200, source


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/docs/?script="])
def test_the_schema_and_the_docs_are_never_stored(client, editor, url):
    for reader in (None, editor):
        if reader:
            client.force_login(reader)
        response = client.get(url)
        assert response.status_code == 200
        assert {"no-store", "no-cache", "private"} <= {p.strip() for p in response["Cache-Control"].split(",")}
