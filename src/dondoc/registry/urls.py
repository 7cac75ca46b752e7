from django.urls import path

from dondoc.registry.views import apparatus, bodies
from dondoc.registry.views import imports as import_views
from dondoc.registry.views import overlaps as overlap_views
from dondoc.registry.views import reorganize as reorganize_views
from dondoc.registry.views import rules as rule_views

app_name = "registry"
urlpatterns: list[object] = [
    path("bodies/<int:pk>/", bodies.body, name="body"),
    path("", apparatus.apparatus, name="apparatus"),
    path("rules/", rule_views.rule_checks, name="rule_checks"),
    path("import/", import_views.import_registry, name="import"),
    path("import/template/<slug:kind>/", import_views.import_template, name="import_template"),
    path("overlaps/", overlap_views.overlaps, name="overlaps"),
    path("overlaps/decide/", overlap_views.decide, name="overlap_decide"),
    path("overlaps/decisions/<int:pk>/reopen/", overlap_views.reopen, name="overlap_reopen"),
    path("reorganize/", reorganize_views.reorganize, name="reorganize"),
]
