from django.apps import AppConfig


class VibplatformConfig(AppConfig):
    name = "vibplatform"
