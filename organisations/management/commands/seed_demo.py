from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test import override_settings

from organisations.demo import DEMO_PASSWORD, seed_people

# Apps that add demo data, in dependency order; each has demo.py with seed(people).
DEMO_APPS = ["courses", "recordings", "families", "annotations", "certification", "dmop"]


class Command(BaseCommand):
    help = "Load the demo organisation, people, courses and a short video. Safe to run again."

    def handle(self, *args: object, **options: object) -> None:
        # Demo notifications are kept in memory: the output is the list of logins, not e-mails.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            transaction.atomic(),
        ):
            people = seed_people()
            for app in DEMO_APPS:
                try:
                    module = import_module(f"{app}.demo")
                except ModuleNotFoundError:
                    continue
                module.seed(people)
        logins = [
            ("professional", people.trainee),
            ("professional", people.colleague),
            ("supervisor", people.supervisor),
            ("coordinator", people.coordinator),
            ("admin", people.administrator),
        ]
        for role, user in logins:
            self.stdout.write(f"{role}: {user.email} {DEMO_PASSWORD}")
        self.stdout.write(
            "# Supervisor, coordinator and admin need a second factor: "
            "run `python manage.py demo_totp EMAIL` for the current six-digit code."
        )
