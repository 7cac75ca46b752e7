from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dondoc.demo"
    verbose_name = "demo"
