from django.apps import AppConfig


class DmopConfig(AppConfig):
    name = "dmop"
