from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import accounts, languages, views

admin.site.site_header = _("GFMD Tracker — data management")
admin.site.site_title = "GFMD Tracker"  # the application's name, the same in every language
admin.site.index_title = _("Data management")
admin.site.site_url = "/"

handler500 = "gfmd_tracker.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("my-items/", views.my_items, name="my_items"),
    path("search/", views.search, name="search"),
    path("", include("gfmd_tracker.feeds")),  # the feeds, beside the pages they follow (their own namespace)
    path("", include("recommendations.urls")),
    path("projects/", include("partnerships.urls")),
    path("open-data/", include("opendata.urls")),
    path("notifications/", include("notifications.urls")),
    path("i18n/setlang/", languages.set_language, name="set_language"),  # Django's, checked (languages.py)
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/profile/", accounts.profile, name="profile"),
    path("accounts/password-reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    # Our templates' own names: the admin's registration/password_reset_*.html come first.
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="registration/reset_password_sent.html"), name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(
        template_name="registration/reset_password_confirm.html"), name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/reset_password_complete.html"), name="password_reset_complete"),
    path("accounts/invitation/<uidb64>/<token>/", accounts.InvitationView.as_view(), name="invitation"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("favicon.ico", views.favicon),
]
