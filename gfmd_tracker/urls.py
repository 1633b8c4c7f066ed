from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "GFMD Tracker"
admin.site.site_title = "GFMD Tracker"
admin.site.index_title = "Data management"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
    path("admin/", admin.site.urls),
]
