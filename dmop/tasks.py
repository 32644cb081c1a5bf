"""Nightly DMOP housekeeping (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from dmop.services import dmop_records_expire


@shared_task(acks_late=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def expire_dmop_records() -> int:
    """Delete DMOP records past their organisation's retention period; a second run finds nothing left."""
    return dmop_records_expire()
