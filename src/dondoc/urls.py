from django.contrib import admin
from django.urls import include, path

from dondoc.accounts.views import home
from dondoc.api import api

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("dondoc.accounts.urls")),
    path("directives/", include("dondoc.directives.urls")),
    path("followup/", include("dondoc.followup.urls")),
    path("registry/", include("dondoc.registry.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
