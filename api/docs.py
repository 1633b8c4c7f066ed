"""/api/docs/: Swagger UI, from this site's own static files (drf-spectacular-sidecar, never a CDN), its script a
request of its own (drf-spectacular's split view) and its page without inline style, so that the site's
Content-Security-Policy holds: scripts, styles and requests from this site only."""

from drf_spectacular.views import SpectacularSwaggerSplitView


class Docs(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    url_name = "api:schema"
    title = "GFMD Tracker API"
