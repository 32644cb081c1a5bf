"""Demo people for `manage.py seed_demo`. Other apps add their demo data in their own demo.py."""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from organisations.models import ImplementationCheck, Licence, Organisation, SupervisorAssignment, User

DEMO_DOMAIN = "demo.vibplatform.localhost"
# A demo password is printed by seed_demo; it is long enough for the password validators.
DEMO_PASSWORD = "SamenStarten-demo-2026"  # noqa: S105 (printed demo login, demo only)


@dataclass
class DemoPeople:
    organisation: Organisation
    coordinator: User
    trainee: User
    colleague: User
    supervisor: User
    administrator: User


def _person(email: str, **fields: object) -> User:
    user, created = User.objects.get_or_create(email=f"{email}@{DEMO_DOMAIN}", defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if user.requires_two_factor:
        TOTPDevice.objects.get_or_create(user=user, confirmed=True, defaults={"name": "demo"})
    return user


def seed_people() -> DemoPeople:
    organisation, _ = Organisation.objects.get_or_create(name="JGZ Demo-regio")
    Licence.objects.get_or_create(
        organisation=organisation,
        starts_on=datetime.date(2025, 1, 1),
        defaults={"ends_on": datetime.date(2027, 12, 31), "size_class": Licence.SizeClass.MEDIUM},
    )
    people = DemoPeople(
        organisation=organisation,
        coordinator=_person(
            "coordinator", full_name="Carla de Coördinator", organisation=organisation, is_coordinator=True
        ),
        trainee=_person(
            "professional",
            full_name="Petra Verpleegkundige",
            organisation=organisation,
            is_professional=True,
            job_title=User.JobTitle.NURSE,
        ),
        colleague=_person(
            "collega",
            full_name="Jan Jeugdarts",
            organisation=organisation,
            is_professional=True,
            job_title=User.JobTitle.DOCTOR,
        ),
        supervisor=_person(
            "supervisor",
            full_name="Sanne Supervisor",
            is_supervisor=True,
            supervisor_kind=User.SupervisorKind.BOTH,
        ),
        administrator=_person(
            "admin", full_name="Anton Beheerder", is_administrator=True, is_staff=True, is_superuser=True
        ),
    )
    _seed_implementation(people)
    SupervisorAssignment.objects.get_or_create(
        supervisor=people.supervisor,
        trainee=people.trainee,
        defaults={"starts_on": timezone.localdate() - datetime.timedelta(days=60)},
    )
    return people


def _seed_implementation(people: DemoPeople) -> None:
    """The demo coordinator is the NCJ contact; two conditions of the checklist are under way."""
    organisation = people.organisation
    if organisation.ncj_contact_id is None:
        organisation.ncj_contact = people.coordinator
        organisation.save(update_fields=["ncj_contact"])
    Item, Status = ImplementationCheck.Item, ImplementationCheck.Status
    for item, status, note in (
        (Item.NCJ_AGREEMENT, Status.DONE, "Overeenkomst 2025-2027 getekend."),
        (Item.CAMERAS, Status.IN_PROGRESS, "Vier camera's besteld voor de teams."),
    ):
        ImplementationCheck.objects.get_or_create(
            organisation=organisation,
            item=item,
            defaults={
                "status": status,
                "note": note,
                "checked_on": datetime.date(2025, 1, 6) if status == Status.DONE else None,
                "updated_by": people.coordinator,
            },
        )
