"""The citation trail: which directives cite a document, which cite a directive, what dondoc holds under a
number, and how citing documents describe one it does not hold."""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from dondoc.directives.models import Citation, Directive
from dondoc.text import fold


def citing_number(*, number: str) -> QuerySet[Directive]:
    """The directives that cite a document, whether dondoc holds it or knows it only by its number."""
    return Directive.objects.filter(citations__folded_number=fold(number)).distinct()


def cited_by(*, directive: Directive) -> QuerySet[Directive]:
    """The directives citing this one (linked when either was imported)."""
    return Directive.objects.filter(citations__cited=directive).distinct()


def held_by_number(*, number: str) -> QuerySet[Directive]:
    """The directives dondoc holds under a number (several when numbers repeat across issuers and terms)."""
    number = number.strip()
    return Directive.objects.filter(Q(number__iexact=number) | Q(duplicate_key__contains=f"|{fold(number)}|"))


def known_citation(*, number: str) -> Any:
    """How the citing documents describe a number (type, issuer, date), the most complete first; None if
    none."""

    return (
        Citation.objects.filter(folded_number=fold(number.strip()))
        .order_by(F("issued_on").desc(nulls_last=True), "-id")
        .first()
    )
