from celery import shared_task

from uploads.services import uploads_expire


@shared_task(acks_late=True, time_limit=600)
def expire_uploads() -> int:
    """Hourly: free the storage of uploads nobody resumed in time (idempotent: a rerun finds none)."""
    return uploads_expire()
