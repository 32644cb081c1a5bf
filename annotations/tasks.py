"""Celery tasks of the annotation workspace: thin, idempotent, by id."""

from celery import shared_task

from annotations.making import review_media_make


@shared_task(acks_late=True, time_limit=900, soft_time_limit=840)
def make_review_media(media_id: int) -> None:
    """Cut a still, clip or reel; returns at once when it is already done (a redelivered task)."""
    review_media_make(media_id=media_id)
