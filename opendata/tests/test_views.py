"""/open-data/ and /open-data/gfmd-tracker.zip: a page saying what the download holds, when it was built, its
size and licence; the file itself with its build date and hash, answered 304 when unchanged; a clear 404
before the first build; a redirect where the storage has an address of its own."""

import hashlib
import io
import zipfile

import pytest
from django.utils.http import http_date

from opendata.models import OpenDataBuild

from .conftest import build_package

pytestmark = pytest.mark.django_db

PAGE, ZIP = "/open-data/", "/open-data/gfmd-tracker.zip"


def test_before_any_build_the_page_says_so_and_the_download_is_a_clear_404(client):
    page = client.get(PAGE)
    assert page.status_code == 200
    assert "The open-data download has not been built yet" in page.content.decode()
    assert ZIP not in page.content.decode()  # no link to a file that is not there
    missing = client.get(ZIP)
    assert missing.status_code == 404
    assert "There is no open-data download to serve yet" in missing.content.decode()
    assert "no-store" in missing["Cache-Control"]


def test_the_page_states_the_build_its_size_its_licence_and_what_is_in_it(client):
    build_package()
    build = OpenDataBuild.objects.get()
    page = client.get(PAGE).content.decode()
    assert f'href="{ZIP}"' in page
    assert f"built {build.built_at:%-d %b %Y, %H:%M} UTC" in page
    assert f"({build.size / 1024:.1f}\xa0KB, built" in page  # the seeded report's data: tens of kilobytes
    assert ('<a href="https://creativecommons.org/licenses/by/4.0/">Creative Commons Attribution 4.0 International</a>'
            " (CC-BY-4.0)") in page
    assert "<strong>Recommendations</strong>" in page and '<td class="num">45</td>' in page
    assert "<code>csv/recommendations.csv</code>" in page and "<code>json/recommendations.json</code>" in page


def test_the_page_is_cacheable_and_a_new_build_changes_its_etag(client, django_assert_max_num_queries):
    build_package()
    with django_assert_max_num_queries(4):  # the build, the data version, and the request's savepoint
        first = client.get(PAGE)
    assert "public" in first["Cache-Control"] and first["ETag"]
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    build_package()
    again = client.get(PAGE, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]


def test_the_download_is_the_built_file_with_its_date_and_hash(client, open_data_storage):
    build_package()
    build = OpenDataBuild.objects.get()
    response = client.get(ZIP)
    content = b"".join(response.streaming_content)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="gfmd-tracker-{build.built_at:%Y-%m-%d}.zip"'
    assert content == (open_data_storage / build.name).read_bytes()
    assert response["ETag"] == f'"{hashlib.sha256(content).hexdigest()}"'
    assert response["Last-Modified"] == http_date(int(build.built_at.timestamp()))
    assert int(response["Content-Length"]) == len(content) == build.size
    assert "public" in response["Cache-Control"]
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None


def test_an_unchanged_download_is_answered_304(client, viewer_client):
    build_package()
    first = client.get(ZIP)
    by_etag = client.get(ZIP, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(ZIP, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag["ETag"] == first["ETag"] and not by_etag.content
    assert client.get(ZIP, HTTP_IF_NONE_MATCH='"an-older-build"').status_code == 200
    assert viewer_client.get(ZIP, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304  # the same file for all


def test_a_new_build_replaces_the_download_and_the_oldest_file_is_deleted(client, open_data_storage):
    names = []
    for _ in range(3):
        build_package()
        names.append(OpenDataBuild.objects.current().name)
    assert len(set(names)) == 3
    assert [b.name for b in OpenDataBuild.objects.all()] == names[:0:-1]  # the current build and the one before
    assert sorted(p.name for p in open_data_storage.iterdir()) == sorted(names[1:])
    content = b"".join(client.get(ZIP).streaming_content)
    assert content == (open_data_storage / names[-1]).read_bytes()


def test_a_storage_with_its_own_address_is_redirected_to(client, settings, open_data_storage):
    settings.STORAGES = {**settings.STORAGES, "open_data": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(open_data_storage), "base_url": "https://data.example.org/gfmd/"}}}
    build_package()
    response = client.get(ZIP)
    assert response.status_code == 302
    assert response["Location"] == f"https://data.example.org/gfmd/{OpenDataBuild.objects.current().name}"


def test_anonymous_downloads_are_limited_per_address(client, settings):
    settings.ANON_EXPORT_RATE = "2/m"
    build_package()
    assert [client.get(ZIP).status_code for _ in range(3)] == [200, 200, 429]
    assert int(client.get(ZIP)["Retry-After"]) > 0


def test_only_reading_is_allowed(client):
    build_package()
    assert client.post(ZIP).status_code == 405
    assert client.post(PAGE).status_code == 405
    assert client.head(ZIP).status_code == 200


def test_every_page_links_to_the_open_data(client):
    assert f'<a href="{PAGE}">Open data</a>' in client.get("/").content.decode()
