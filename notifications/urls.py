from django.urls import path

from . import follow_views, views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("following/", follow_views.following, name="following"),
    path("follow/<str:kind>/<int:pk>/", follow_views.follow, name="follow"),
    path("unfollow/<str:kind>/<int:pk>/", follow_views.unfollow, name="unfollow"),
    path("saved-views/", follow_views.saved_views, name="saved_views"),
    path("saved-views/save/", follow_views.save_view, name="save_view"),
    path("saved-views/<int:pk>/delete/", follow_views.delete_saved_view, name="delete_saved_view"),
]
