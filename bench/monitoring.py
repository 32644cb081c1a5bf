"""Benchmark of the SamenStarten monitoring page: 10,000 families and 60,000 contact moments.

Seeds a database of its own (``--database``, default ``vib_bench_monitoring`` on the server of
``DATABASE_URL``; dropped and recreated), then requests the page as the organisation's coordinator through
Django's test client (the whole view: filters, data version, the aggregate queries over the monitoring
summaries, the survival counts, lifelines and the SVG) and prints the median, p95 and min-max of the response times, once with the cache
cleared before every request (the figures computed, as after any change in the data) and once served from
the cache. Target: p95 under 300 ms.

    .venv/bin/python bench/monitoring.py [--families 10000] [--requests 30] [--database NAME] [--reuse]

Prints the machine's load average before and after, since the figures depend on it.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(database: str, reuse: bool) -> None:
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/vib")
    os.environ["DATABASE_URL"] = base.rsplit("/", 1)[0] + "/" + database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vibplatform.settings")
    import psycopg

    if reuse:
        import django

        django.setup()
        return

    maintenance = base.rsplit("/", 1)[0] + "/postgres"  # the named database need not exist
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
        connection.execute(f'CREATE DATABASE "{database}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(families: int, moments_per_family: int) -> object:
    """Families in two organisations' worth of years of birth, six contact moments each, five domains."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from dmop.models import (
        ContactMoment,
        Domain,
        DomainAssessment,
        Family,
        Partner,
        PartnerDomain,
        PlanAction,
    )
    from organisations.models import Organisation, User

    rng = random.Random(7)
    organisation = Organisation.objects.create(name="JGZ Bench")
    professional = User.objects.create_user(
        email="p@bench.example", full_name="P", organisation=organisation, is_professional=True
    )
    coordinator = User.objects.create_user(
        email="c@bench.example", full_name="C", organisation=organisation, is_coordinator=True
    )
    TOTPDevice.objects.create(user=coordinator, name="bench", confirmed=True)
    partner = Partner.objects.create(organisation=organisation, name="Wijkteam")
    PartnerDomain.objects.create(partner=partner, domain=Domain.SOCIAL_NETWORK)
    today = datetime.date.today()
    ages = (60, 100, 190, 280, 430, 560)
    rows = Family.objects.bulk_create(
        Family(
            organisation=organisation,
            code=f"B-{number:06}",
            registered_by=professional,
            child_birth_month=(today - datetime.timedelta(days=600 + rng.randrange(900))).replace(day=1),
        )
        for number in range(families)
    )
    moments = ContactMoment.objects.bulk_create(
        (
            ContactMoment(
                family=family,
                professional=professional,
                date=min(family.child_birth_month + datetime.timedelta(days=ages[i] + 14), today),
                kind="8w_double" if i == 0 else "other",
            )
            for family in rows
            for i in range(moments_per_family)
        ),
        batch_size=5000,
    )
    assessments = DomainAssessment.objects.bulk_create(
        (
            DomainAssessment(
                contact_moment=moment,
                domain=domain,
                concern_level=min(rng.choices((0, 1, 2, 3), (70, 18, 9, 3))[0], 3),
            )
            for moment in moments
            for domain in Domain.values
        ),
        batch_size=10000,
    )
    PlanAction.objects.bulk_create(
        (
            PlanAction(
                assessment=assessment,
                description="Afspraak",
                referral=partner if assessment.concern_level == 3 else None,
                referral_status="proposed" if assessment.concern_level == 3 else "",
                referral_proposed_on=assessment.contact_moment.date
                if assessment.concern_level == 3
                else None,
            )
            for assessment in assessments
            if assessment.concern_level >= 2
        ),
        batch_size=10000,
    )
    # Bulk rows bypass the services that keep the monitoring summaries: build them as the migration does.
    from dmop.summaries import contact_moment_summaries_rebuild

    contact_moment_summaries_rebuild()
    return coordinator


def measure(coordinator: object, requests: int, query: dict[str, str], cold: bool) -> list[float]:
    from django.conf import settings
    from django.test import override_settings

    # The page, not the static files: the manifest of collectstatic is not built for a benchmark.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, DEBUG=False):
        return _measure(coordinator, requests, query, cold)


def _measure(coordinator: object, requests: int, query: dict[str, str], cold: bool) -> list[float]:
    from django.core.cache import cache
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(coordinator)  # type: ignore[arg-type]
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=coordinator).persistent_id
    session.save()
    response = client.get("/dmop/monitoring/", query)  # warm up (imports, caches)
    assert response.status_code == 200, response.status_code
    times = []
    for _ in range(requests):
        if cold:
            cache.clear()  # every request computes the figures (first request after a change in the data)
        start = time.perf_counter()
        response = client.get("/dmop/monitoring/", query)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return times


def report(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    print(
        f"{label}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, "
        f"min-max {ordered[0]:.0f}-{ordered[-1]:.0f} ms ({len(times)} requests)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=10_000)
    parser.add_argument("--moments", type=int, default=6)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", default="vib_bench_monitoring")
    parser.add_argument("--reuse", action="store_true", help="measure the database seeded by a previous run")
    args = parser.parse_args()
    configure(args.database, args.reuse)
    start = time.perf_counter()
    from dmop.models import ContactMoment, Family
    from organisations.models import User

    coordinator = (
        User.objects.get(email="c@bench.example") if args.reuse else seed(args.families, args.moments)
    )

    print(
        f"seeded {Family.objects.count()} families, {ContactMoment.objects.count()} contact moments "
        f"in {time.perf_counter() - start:.0f} s"
    )
    print(f"load average before: {os.getloadavg()}")
    period = {"period_from": "2020-01-01"}
    for cold in (True, False):
        served = "computed" if cold else "from the cache"
        report(
            f"default filters (birth year groups), {served}",
            measure(coordinator, args.requests, period, cold),
        )
        report(
            f"certified vs in training, {served}",
            measure(coordinator, args.requests, {**period, "group_by": "certification"}, cold),
        )
        report(
            f"default period (the last year), birth year groups, {served}",
            measure(coordinator, args.requests, {}, cold),
        )
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
