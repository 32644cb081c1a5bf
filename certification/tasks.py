"""Nightly certification housekeeping (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from certification.services import certifications_announce_expiry, certifications_expire_due


@shared_task(acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def expire_certifications() -> dict[str, int]:
    """Expire certificates past their last valid day and announce coming expiries (90 and 30 days).

    Safe to run more than once a day: each certificate is expired once and each announcement is
    remembered per validity period.
    """
    expired = certifications_expire_due()
    announced = certifications_announce_expiry()
    return {"expired": expired, "announced": announced}
