"""The reorganisation planner: an administrator or a monitor chooses the kind (merge, absorb, split, dissolve,
rename), the original bodies of their territories, the effective date, the decision and the results, and sees
the plan `plan_reorganization` makes before anything is written: posts and holders moving and to where,
people losing a post, deputies against the limit with its source and the grace period, quotas combined,
functions and job positions carried, groups updated, the open assignments of the bodies that end with the body
that will carry them, and the warnings. For a split, the plan lets each post be sent to another new body (all
go to the first unless sent elsewhere).

"Commit" posts the same inputs with the plan's fingerprint: `commit_reorganization` refuses it when the plan
made now differs (the registry changed meanwhile), and the page shows the new plan. Readers, units and the
auditor are refused: a reorganisation rewrites the registry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.forms import BaseFormSet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dondoc import clock
from dondoc.accounts.access import role_required, scope
from dondoc.accounts.models import MANAGING_ROLES
from dondoc.registry.models import (
    Jurisdiction,
    Organization,
    ReorganizationKind,
    StaffCategory,
)
from dondoc.registry.reorganization import (
    NewBody,
    ReorganizationError,
    ReorganizationPlan,
    commit_reorganization,
    plan_reorganization,
)
from dondoc.registry.reorganize_forms import (
    CREATING_KINDS,
    NewBodyForm,
    NewBodyFormSet,
    ReorganizeForm,
)

NEW_BODIES_PREFIX = "new"
DESTINATION_PREFIX = "post-"  # post-<post id> = the index of the new body a split sends the post to
# the inputs the Commit form must not copy from the request that showed the plan
NOT_COPIED = frozenset({"csrfmiddlewaretoken", "fingerprint", "commit"})


@role_required(*MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
def reorganize(request: HttpRequest) -> HttpResponse:
    bodies, territories = _bodies_in_scope(request), _territories_in_scope(request)
    posted = request.POST if request.method == "POST" else None
    form = ReorganizeForm(posted, bodies=bodies)
    new_bodies = NewBodyFormSet(
        posted, prefix=NEW_BODIES_PREFIX, form_kwargs={"bodies": bodies, "territories": territories}
    )
    if posted is None:
        return _page(request, form, new_bodies)
    # the new bodies count for the kinds that create some: rows typed before choosing another kind are ignored
    if not form.is_valid() or (
        ReorganizationKind(form.cleaned_data["kind"]) in CREATING_KINDS and not new_bodies.is_valid()
    ):
        return _page(request, form, new_bodies, status=400)
    try:
        plan = _plan(form, new_bodies, request.POST)
    except ReorganizationError as error:
        return _page(request, form, new_bodies, status=400, error=str(error))
    if "commit" not in request.POST:
        return _page(request, form, new_bodies, plan=plan)
    try:
        reorganization = commit_reorganization(
            plan=plan, fingerprint=request.POST.get("fingerprint", ""), note=form.cleaned_data["note"]
        )
    except ReorganizationError as error:  # a stale plan: the plan made now is the one to look at
        return _page(request, form, new_bodies, status=409, plan=plan, error=str(error))
    messages.success(
        request,
        _("The reorganisation under %(decision)s is committed.") % {"decision": reorganization.decision},
    )
    day = f"?on={reorganization.effective_on:%d/%m/%Y}"
    result = reorganization.results.order_by("pk").first()
    if result is None:  # a dissolution leaves no body to show: the apparatus on the day shows them gone
        return redirect(reverse("registry:apparatus") + day)
    return redirect(reverse("registry:body", args=[result.pk]) + day)


def _bodies_in_scope(request: HttpRequest) -> QuerySet[Organization]:
    """The jurisdiction's own bodies in the scope's territories, whatever their dates."""
    territories = scope(request).territory_ids
    bodies = Organization.objects.filter(outside_jurisdiction=False).order_by("folded_name")
    return bodies if territories is None else bodies.filter(jurisdiction_id__in=territories)


def _territories_in_scope(request: HttpRequest) -> QuerySet[Jurisdiction]:
    territories = scope(request).territory_ids
    found = Jurisdiction.objects.order_by("level", "name")
    return found if territories is None else found.filter(id__in=territories)


def _plan(
    form: ReorganizeForm, new_bodies: BaseFormSet[NewBodyForm], posted: QueryDict
) -> ReorganizationPlan:
    data = form.cleaned_data
    kind = ReorganizationKind(data["kind"])
    originals: list[Organization] = list(data["originals"])
    creating = kind in CREATING_KINDS
    rows = [
        (row, _new_body(each, originals))
        for row, each in enumerate(new_bodies.forms if creating else ())
        if each.has_changed() and each.cleaned_data
    ]
    work_to = 0
    if kind == ReorganizationKind.SPLIT:
        filled = [row for row, _body in rows]
        chosen_row = data["work_to"] or 0
        # a row left empty is no body: -1, which the plan refuses with its message
        work_to = filled.index(chosen_row) if chosen_row in filled else -1
    return plan_reorganization(
        kind=kind,
        originals=originals,
        effective_on=data["effective_on"],
        decision=data["decision"],
        new_bodies=[body for _row, body in rows],
        absorber=data["absorber"] if kind == ReorganizationKind.ABSORB else None,
        destinations=_destinations(posted) if kind == ReorganizationKind.SPLIT else None,
        successor=data["successor"] if kind == ReorganizationKind.DISSOLVE else None,
        work_to=work_to,
    )


def _new_body(form: NewBodyForm, originals: Sequence[Organization]) -> NewBody:
    """The body a row describes; what it leaves blank is the original bodies' (their common parent and
    territory, the nearest territory holding them all when they lie in several)."""
    data = form.cleaned_data
    first = originals[0] if originals else None
    parents = {body.parent_id for body in originals}
    return NewBody(
        code=data["code"].strip(),
        name=data["name"].strip(),
        short_name=data["short_name"].strip(),
        kind=data["kind"] or (first.kind if first else ""),
        level=data["level"] or (first.level if first else ""),
        parent=data["parent"] or (first.parent if first is not None and len(parents) == 1 else None),
        jurisdiction=data["jurisdiction"] or _common_territory(originals),
    )


def _common_territory(originals: Sequence[Organization]) -> Jurisdiction | None:
    chains = [_territory_chain(body.jurisdiction) for body in originals]
    if not chains:
        return None
    shared = set.intersection(*({territory.pk for territory in chain} for chain in chains))
    return next((territory for territory in chains[0] if territory.pk in shared), None)


def _territory_chain(territory: Jurisdiction | None) -> list[Jurisdiction]:
    """The territory and those above it, nearest first."""
    chain = []
    while territory is not None:
        chain.append(territory)
        territory = territory.parent
    return chain


def _destinations(posted: QueryDict) -> dict[int, int]:
    """The new body (by index) each post of a split is sent to, as the plan's selects posted them."""
    found = {}
    for name in posted:
        post, index = name.removeprefix(DESTINATION_PREFIX), str(posted.get(name, ""))
        if name.startswith(DESTINATION_PREFIX) and post.isdigit() and index.isdigit():
            found[int(post)] = int(index)
    return found


def _page(
    request: HttpRequest,
    form: ReorganizeForm,
    new_bodies: BaseFormSet[NewBodyForm],
    *,
    status: int = 200,
    plan: ReorganizationPlan | None = None,
    error: str = "",
) -> HttpResponse:
    chosen = _chosen_ids(request.POST if request.method == "POST" else None)
    day = _listing_day(form)
    ticked = {pk for ids in chosen.values() for pk in ids}
    # the bodies of the day, and those already chosen, which the plan may find did not exist on it
    by_name = list(
        form.fields["originals"]  # type: ignore[attr-defined]
        .queryset.filter(Q(valid_from__lte=day, valid_to__gt=day) | Q(pk__in=ticked))
        .only("id", "name", "folded_name", "kind", "level")
    )
    # the originals ticked first, so that a plan shown again shows them; a stable sort keeps the names' order
    ticked_first = sorted(by_name, key=lambda body: body.pk not in chosen["originals"])
    context: dict[str, Any] = {
        "form": form,
        "new_bodies": new_bodies,
        "bodies": by_name,
        "ticked_first": ticked_first,
        "chosen": chosen,
        "day": day,
        "plan": plan,
        "error": error,
    }
    if plan is not None:
        context |= _plan_context(plan, request)
    return render(request, "registry/reorganize.html", context, status=status)


def _listing_day(form: ReorganizeForm) -> date:
    """The effective date typed, when it is a date; today before one is."""
    typed = form.cleaned_data.get("effective_on") if form.is_bound and form.errors is not None else None
    return typed or clock.today()


def _chosen_ids(posted: QueryDict | None) -> dict[str, set[int]]:
    """The ids ticked or selected in each body field as posted, kept when the form has errors."""
    return {
        name: {int(value) for value in (posted.getlist(name) if posted else ()) if value.isdigit()}
        for name in ("originals", "absorber", "successor")
    }


def _plan_context(plan: ReorganizationPlan, request: HttpRequest) -> dict[str, Any]:
    categories = dict(StaffCategory.choices)
    return {
        "moves": [(move, plan.destinations.get(move.post.id, 0)) for move in plan.post_moves],
        "result_names": [result.name for result in plan.results],
        "splits": plan.kind == ReorganizationKind.SPLIT,
        "quotas": [(quota, categories.get(quota.category, quota.category)) for quota in plan.quotas],
        "copied": [
            (name, value)
            for name, values in request.POST.lists()
            if name not in NOT_COPIED
            for value in values
        ],
    }
