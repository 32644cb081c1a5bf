"""Celery tasks of the consent home: thin, by id, idempotent."""

from celery import shared_task
from django.utils import timezone

from families.erasure import recordings_enforce_retention


@shared_task(acks_late=True)
def enforce_retention() -> int:
    """Daily: erase recordings whose consent ended or was withdrawn, or whose retention passed."""
    return recordings_enforce_retention(today=timezone.localdate())
