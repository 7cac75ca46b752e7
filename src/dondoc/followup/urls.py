from django.urls import path  # noqa: F401  (the parts add their pages)

app_name = "followup"
urlpatterns: list = []
