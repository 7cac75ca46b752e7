"""The typed values the parser returns; `to_json()` gives the shape of corpus/SCHEMA.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets [start, end) into the text given to `parse_text`."""

    start: int
    end: int

    def to_json(self) -> list[int]:
        return [self.start, self.end]


class DeadlineKind(StrEnum):
    BY_DATE = "by_date"
    ONGOING = "ongoing"
    RECURRING = "recurring"
    ON_DEMAND = "on_demand"
    FROM_DATE = "from_date"
    PER_ROADMAP = "per_roadmap"
    RELATIVE = "relative"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: DeadlineKind
    due: date | None = None
    start: date | None = None
    text: str = ""  # the phrase as printed
    span: Span | None = None
    recurrence: str | None = None  # "yearly: 06-05, 12-05" | "period: quarter" | …
    due_time: str | None = None  # "16:00" when the phrase gives an hour
    year_inferred: bool = False  # the year was taken from the issue date

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "due": _iso(self.due),
            "start": _iso(self.start),
            "text": self.text,
            "recurrence": self.recurrence,
            "due_time": self.due_time,
            "span": _span(self.span),
        }


NO_DEADLINE = Deadline(kind=DeadlineKind.NONE)


@dataclass(frozen=True, slots=True)
class Field:
    """One extracted value and where it came from."""

    value: str
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class DistributionEntry:
    name: str
    purpose: str | None  # "report" | "act" | "archive" | "addressees" | None
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "purpose": self.purpose, "span": _span(self.span)}


@dataclass(frozen=True, slots=True)
class Signer:
    authority: str | None  # "T/M" | "K/T" | "T/L" | "TUQ" | "Q." | None
    on_behalf_of: str | None
    title: str | None
    name: str | None
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "authority": self.authority,
            "on_behalf_of": self.on_behalf_of,
            "title": self.title,
            "name": self.name,
            "span": _span(self.span),
        }


@dataclass(frozen=True, slots=True)
class Reference:
    number: str | None
    issued_on: date | None
    issuer: str | None
    type: str | None  # "kết luận", "nghị quyết", …
    span: Span | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "issued_on": _iso(self.issued_on),
            "issuer": self.issuer,
            "type": self.type,
            "span": _span(self.span),
        }


@dataclass(frozen=True, slots=True)
class Task:
    label: str | None
    text: str
    span: Span
    lead: tuple[Field, ...] = ()
    coordinating: tuple[Field, ...] = ()
    report_to: tuple[Field, ...] = ()
    report_via: tuple[Field, ...] = ()
    deadline: Deadline = NO_DEADLINE
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "text": self.text,
            "lead": [f.value for f in self.lead],
            "coordinating": [f.value for f in self.coordinating],
            "report_to": [f.value for f in self.report_to],
            "report_via": [f.value for f in self.report_via],
            "deadline": self.deadline.to_json(),
            "warnings": list(self.warnings),
            "spans": {
                "text": _span(self.span),
                "lead": [_span(f.span) for f in self.lead],
                "coordinating": [_span(f.span) for f in self.coordinating],
                "report_to": [_span(f.span) for f in self.report_to],
            },
        }


@dataclass(frozen=True, slots=True)
class ParsedDirective:
    issuer: Field | None = None
    parent_issuer: Field | None = None  # the line above the issuer ("UBND TỈNH BẮC NINH")
    number: Field | None = None
    type: Field | None = None
    issued_on: date | None = None
    issued_on_span: Span | None = None
    place: Field | None = None
    subject: Field | None = None
    classification: Field | None = None
    urgency: Field | None = None
    addressees: tuple[Field, ...] = ()
    distribution: tuple[DistributionEntry, ...] = ()
    signer: Signer | None = None
    references: tuple[Reference, ...] = ()
    tasks: tuple[Task, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        def value(f: Field | None) -> str | None:
            return f.value if f else None

        header = {
            "issuer": self.issuer,
            "parent_issuer": self.parent_issuer,
            "number": self.number,
            "type": self.type,
            "place": self.place,
            "subject": self.subject,
            "classification": self.classification,
            "urgency": self.urgency,
        }
        spans: dict[str, Any] = {key: _span(f.span) if f else None for key, f in header.items()}
        spans["issued_on"] = _span(self.issued_on_span)
        spans["addressees"] = [_span(f.span) for f in self.addressees]
        return {
            "issuer": value(self.issuer),
            "parent_issuer": value(self.parent_issuer),
            "number": value(self.number),
            "type": value(self.type),
            "issued_on": _iso(self.issued_on),
            "place": value(self.place),
            "subject": value(self.subject),
            "classification": value(self.classification),
            "urgency": value(self.urgency),
            "addressees": [f.value for f in self.addressees],
            "distribution": [d.to_json() for d in self.distribution],
            "signer": self.signer.to_json() if self.signer else None,
            "references": [r.to_json() for r in self.references],
            "tasks": [t.to_json() for t in self.tasks],
            "warnings": list(self.warnings),
            "spans": spans,
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _span(s: Span | None) -> list[int] | None:
    return s.to_json() if s else None
