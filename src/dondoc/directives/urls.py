"""The directive pages; each area (import and review, inbox and reports, search and trace) adds its routes."""

from django.urls import URLPattern, URLResolver

app_name = "directives"
urlpatterns: list[URLPattern | URLResolver] = []
