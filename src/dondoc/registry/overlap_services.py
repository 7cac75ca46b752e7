"""Decisions on overlaps: a monitor says of two function items found alike whether they are a real overlap to
resolve, no overlap at all, or already resolved by a decision (its number and date). A decided pair is not
proposed again as new; reopening it deletes the decision, and simple_history keeps every version and the
deletion."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from dondoc.registry.models import Function, OverlapDecision, OverlapOutcome
from dondoc.registry.services import RegistryError
from dondoc.text import collapse_spaces, nfc


@transaction.atomic
def record_overlap_decision(
    *,
    first: Function,
    second: Function,
    decision: OverlapOutcome,
    number: str,
    decided_on: date | None,
    comment: str,
    by: AbstractBaseUser,
    today: date,
) -> OverlapDecision:
    """Record (or change) the decision on the pair of items; `number` and `decided_on` name the decision
    that resolved the overlap, and are kept only for that outcome."""
    if first.organization_id == second.organization_id:
        raise RegistryError(_("An overlap is between two different bodies, not a body and itself."))
    number = collapse_spaces(nfc(number)).strip()
    resolved = decision == OverlapOutcome.RESOLVED
    if resolved and (not number or decided_on is None):
        raise RegistryError(_("An overlap resolved by a decision needs the decision's number and date."))
    if resolved and decided_on is not None and decided_on > today:
        raise RegistryError(
            _("The decision's date %(date)s is after today.") % {"date": f"{decided_on:%d/%m/%Y}"}
        )
    low, high = sorted((first, second), key=lambda function: function.pk)
    found = OverlapDecision.objects.filter(first=low, second=high).first()
    recorded = found or OverlapDecision(first=low, second=high)
    recorded.outcome = decision
    recorded.decision_number = number if resolved else ""
    recorded.decision_date = decided_on if resolved else None
    recorded.comment = nfc(comment).strip()
    recorded.recorded_on = today
    recorded._history_user = by  # type: ignore[attr-defined]  # simple_history's hook outside a request
    recorded.save()
    return recorded


@transaction.atomic
def reopen_overlap(*, decision: OverlapDecision, by: AbstractBaseUser) -> None:
    """Take the decision back: the pair is proposed as new again; its history keeps what was decided."""
    decision._history_user = by  # type: ignore[attr-defined]  # simple_history's hook outside a request
    decision.delete()
