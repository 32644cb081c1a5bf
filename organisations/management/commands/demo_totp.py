from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from organisations.demo import DEMO_DOMAIN
from organisations.models import User
from organisations.two_factor import totp_current_code, totp_device_for


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account, so the demo needs no phone. Demo only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")

    def handle(self, *args: object, **options: str) -> None:
        # Refused outside the demo: a real account's second factor must stay on the person's own device.
        if not settings.DEBUG:
            raise CommandError("demo_totp only works in the demo (DEBUG=1).")
        if not options["email"].lower().endswith("@" + DEMO_DOMAIN):
            raise CommandError("demo_totp only works for demo accounts.")
        user = User.objects.filter(email=options["email"].lower()).first()
        device = totp_device_for(user) if user else None
        if device is None:
            raise CommandError("No demo account with two-factor authentication has that e-mail address.")
        self.stdout.write(totp_current_code(device))
