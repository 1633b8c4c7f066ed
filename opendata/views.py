"""The open-data page and its download: the current build (`OpenDataBuild`), served from the `open_data`
storage with its build date (Last-Modified) and hash (ETag), or by a redirect where the storage has an address
of its own (S3, a CDN). Public; the download counts against the anonymous download limit."""

import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from gfmd_tracker import portal
from recommendations.views.lists import download_limit

from . import package, publish
from .models import OpenDataBuild


def current(request):
    """The current build, read once per request."""
    if not hasattr(request, "open_data_build"):
        request.open_data_build = OpenDataBuild.objects.current()
    return request.open_data_build


def page_etag(request, *args, **kwargs):
    """The portal's ETag, and the build: a new build changes the page (its date) though the data may not have."""
    build = current(request)
    seed = f"{portal.page_etag(request)}|{build.pk if build else ''}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


@require_safe
@portal.portal_page(etag=page_etag)
def open_data(request):
    return render(request, "opendata/open_data.html", page(request))


def page(request):
    build = current(request)
    name = build.licence if build else settings.OPEN_DATA_LICENSE  # before the first build: the next one's
    title, address = package.LICENCES.get(name, ("", ""))
    return {"build": build, "licence": {"name": name, "title": title, "address": address}}


@require_safe
@download_limit
def download(request):
    build = current(request)
    if build is None:
        return missing(request)
    address = publish.storage().url(build.name)
    if urlsplit(address).netloc:  # the storage serves it itself
        return HttpResponseRedirect(address)
    etag, modified = quote_etag(build.sha256), int(build.built_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=modified)
    if response is None:
        try:
            file = publish.storage().open(build.name, "rb")
        except FileNotFoundError:
            return missing(request)
        response = FileResponse(file, as_attachment=True, content_type="application/zip",
                                filename=f"gfmd-tracker-{build.built_at:%Y-%m-%d}.zip")
    response["ETag"], response["Last-Modified"] = etag, http_date(modified)
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
    return response


def missing(request):
    """No build yet (or its file is gone): a 404 that says so and when to come back."""
    response = render(request, "opendata/open_data.html", {**page(request), "build": None, "missing": True},
                      status=404)
    add_never_cache_headers(response)
    return response
