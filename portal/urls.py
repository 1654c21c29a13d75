from __future__ import annotations

from django.urls import path

from . import feeds, views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("announcements/", views.announcement_list, name="announcements"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement"),
    path("announcements/<int:pk>/pdf/", views.announcement_pdf, name="announcement_pdf"),
    path("intentions/", views.intention_list, name="intentions"),
    path("intentions/<int:pk>/", views.intention_detail, name="intention"),
    path("feeds/announcements/<slug:kind>/", feeds.AnnouncementFeed(), name="announcement_feed"),
    path("feeds/intentions/", feeds.IntentionFeed(), name="intention_feed"),
    path("bench/floor/", views.bench_floor, name="bench_floor"),
]
