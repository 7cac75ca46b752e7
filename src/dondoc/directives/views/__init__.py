"""Pages of the directives app, one module per area; directives/urls.py lists their routes together."""
