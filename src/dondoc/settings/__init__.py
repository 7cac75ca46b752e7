"""Django settings, one module per environment: `dondoc.settings.dev` (the default of manage.py and wsgi.py),
`dondoc.settings.test` (pytest) and `dondoc.settings.production`; all three build on `dondoc.settings.base`.
This package itself is not a settings module: DJANGO_SETTINGS_MODULE always names one of them."""
