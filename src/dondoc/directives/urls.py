"""The directive pages; each area (import and review, inbox and reports, search and trace) adds its routes."""

from django.urls import URLPattern, URLResolver

from dondoc.directives.views import find, imports, reports

app_name = "directives"
urlpatterns: list[URLPattern | URLResolver] = []
urlpatterns += reports.urlpatterns
urlpatterns += imports.urlpatterns
urlpatterns += find.urlpatterns
