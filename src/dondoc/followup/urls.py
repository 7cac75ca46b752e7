from django.urls import URLPattern, URLResolver

app_name = "followup"
# each part of the follow-up adds its pages
urlpatterns: list[URLPattern | URLResolver] = []
