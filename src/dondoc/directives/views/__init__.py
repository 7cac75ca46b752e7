"""Pages of the directives app, one module per area; each module lists its routes in `urlpatterns`."""
