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
                import_module(f"{app}.demo").seed(people)
        # What each account can try; the README quotes this output exactly.
        logins = [
            ("professional", people.trainee, "in training (VIB, DMOP): a film with feedback, next steps"),
            ("professional", people.colleague, "same organisation, DMOP-certified: the DMOP instrument"),
            ("supervisor", people.supervisor, "AIT supervisor of the first: feedback queue, assessments"),
            ("coordinator", people.coordinator, "the organisation: who is stuck, certificates, overviews"),
            ("admin", people.administrator, "national (NCJ): access log, all organisations"),
        ]
        for role, user, can_try in logins:
            self.stdout.write(f"{role}: {user.email} {DEMO_PASSWORD}  # {can_try}")
        self.stdout.write(
            "# Supervisor, coordinator and admin need a second factor: "
            "run `python manage.py demo_totp EMAIL` for the current six-digit code."
        )
