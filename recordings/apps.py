from django.apps import AppConfig


class RecordingsConfig(AppConfig):
    name = "recordings"

    def ready(self) -> None:
        # The pipeline sends its segment tasks by name (a chord); a process that never ran a worker
        # (the web server running tasks eagerly, import_recording --wait) must know them too.
        from recordings import tasks  # noqa: F401
