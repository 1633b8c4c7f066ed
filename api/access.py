"""Who reads what, how often and how it is cached: the API's policy, on DRF's own hooks.

- `PublicReadOrRole`: anyone reads (the public, the public fields: `visible_to`, the serializers' `public`); a
  signed-in reader needs the view permission of the resource's model, as on the pages; writes need a signed-in
  user, and the follow-up rules (`TrackedItem.record_update`) decide the rest.
- `AnonymousPerAddress`: anonymous calls counted per client address (`security.client_ip`: CLIENT_IP_HEADER,
  believed only from TRUSTED_PROXIES) in Django's cache, at ANON_API_RATE; over it, 429 with Retry-After.
- `Cursor`: cursor pagination (stable under writes, no deep OFFSET), 50 a page, `page_size` up to 100.
- `ConditionalReads`: an ETag from the data version, the day, the address and the audience, 304 to a matching
  `If-None-Match` before the answer is computed; `Cache-Control` as the public pages say it for the public.
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.http import parse_etags
from rest_framework import exceptions, pagination, permissions, throttling
from rest_framework.response import Response

from gfmd_tracker.portal import is_public
from gfmd_tracker.security import client_ip
from recommendations import versioning

READS = ("GET", "HEAD")


class PublicReadOrRole(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method not in permissions.SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        if is_public(request):
            return True
        opts = view.model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class AnonymousPerAddress(throttling.AnonRateThrottle):
    """DRF's anonymous throttle, counting by the address the rest of the site counts by, at the rate the
    environment gives (read on each request, so a changed setting counts at once)."""

    def get_rate(self):
        return settings.ANON_API_RATE  # read for each request (DRF makes a throttle per request)

    def get_ident(self, request):
        return client_ip(request)


class Cursor(pagination.CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_ordering(self, request, queryset, view):
        return view.ordering

    def paginate_queryset(self, queryset, request, view=None):
        self.model = queryset.model  # whose ordering field reads the cursor's position
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        """DRF's cursor, its position read as a value of the ordering's field: a position that is not one (not a
        number, out of the column's range, a NUL character) is an invalid cursor (404), as DRF answers others."""
        cursor = super().decode_cursor(request)
        if cursor is None or cursor.position is None:
            return cursor
        name = self.ordering[0].lstrip("-")
        field = self.model._meta.pk if name == "pk" else self.model._meta.get_field(name)
        try:
            if "\x00" in cursor.position:
                raise ValidationError("NUL")
            position = field.to_python(cursor.position)
            field.run_validators(position)
        except ValidationError:
            raise exceptions.NotFound(self.invalid_cursor_message) from None
        return cursor._replace(position=position)


class NotModified(exceptions.APIException):
    status_code = 304


class ConditionalReads:
    """A viewset's reads answered 304 while nothing they show changed; see the module's docstring."""

    def audience(self):
        return "public" if is_public(self.request) else "signed-in"

    def get_etag(self, request):
        seed = (f"{versioning.current()}|{timezone.localdate()}|{request.get_host()}|{request.get_full_path()}|"
                f"{self.audience()}")
        return f'"{hashlib.sha256(seed.encode()).hexdigest()[:32]}"'

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticated, permitted, throttled
        self.etag = self.get_etag(request) if request.method in READS else None
        wanted = parse_etags(request.headers.get("If-None-Match", ""))
        if self.etag and ("*" in wanted or _bare(self.etag) in {_bare(tag) for tag in wanted}):
            raise NotModified()

    def handle_exception(self, exc):
        if isinstance(exc, NotModified):
            return Response(status=304)
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if getattr(self, "etag", None) and response.status_code in (200, 304):
            response["ETag"] = self.etag
            if is_public(request):
                patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
            else:  # a reader's own answer: kept by their client only, revalidated each time
                patch_cache_control(response, private=True, no_cache=True)
        else:
            add_never_cache_headers(response)
        patch_vary_headers(response, ["Cookie", "Authorization"])
        return response


def _bare(etag):
    """An entity tag without its weak marker and quotes, as weak comparison reads it."""
    return etag.removeprefix("W/").strip('"')
