from django.urls import path

from . import views

app_name = "recommendations"

urlpatterns = [
    path("", views.recommendation_list, name="list"),
    path("<int:year>/<str:code>/<int:number>/", views.recommendation_detail, name="recommendation"),
    path("<int:year>/<str:code>/<int:number>/update/", views.recommendation_update, name="recommendation_update"),
    path("follow-up/<int:year>/<str:code>/<int:number>/", views.follow_up_item_detail, name="follow_up_item"),
    path("follow-up/<int:year>/<str:code>/<int:number>/update/", views.follow_up_item_update,
         name="follow_up_item_update"),
]
