"""Background work of the follow-up, through Django's task framework (`manage.py run_worker` runs it;
DONDOC_TASKS=immediate runs it inline)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.utils import translation
from django_tasks import task

from dondoc.followup.services.reminders import send_reminders


@task()
def send_reminders_job(today: str) -> dict[str, int]:
    """The reminders due on `today` (ISO date: a task's arguments are stored as JSON), in the site's language
    (a worker has no request to take one from); returns how many went out per channel."""
    with translation.override(settings.LANGUAGE_CODE):
        summary = send_reminders(today=date.fromisoformat(today))
    return asdict(summary)
