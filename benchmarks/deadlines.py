"""Deadline phrases of the dev corpus: dondoc's parse_deadline against dateparser, side by side."""

from __future__ import annotations

import json
import statistics
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from dondoc.parsing.deadlines import find_deadline, parse_deadline

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus" / "dev"
OURS_REPETITIONS = 1000
DATEPARSER_REPETITIONS = 30


@dataclass(frozen=True)
class Phrase:
    text: str
    issued_on: date
    kind: str
    due: date | None


def _iso(day: str | None) -> date | None:
    return date.fromisoformat(day) if day else None


def corpus_phrases() -> tuple[list[Phrase], int]:
    """Unique (phrase, issue date) pairs of the annotations, and how many deadline texts there were."""
    seen: dict[tuple[str, date], Phrase] = {}
    total = 0
    for path in sorted(CORPUS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        issued_on = date.fromisoformat(document["issued_on"])
        for task in document.get("tasks") or []:
            deadline = task["deadline"]
            if not deadline["text"]:
                continue
            total += 1
            phrase = Phrase(deadline["text"], issued_on, deadline["kind"], _iso(deadline["due"]))
            seen.setdefault((phrase.text, issued_on), phrase)
    return list(seen.values()), total


def corpus_tasks() -> list[tuple[str, date]]:
    tasks = []
    for path in sorted(CORPUS.glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        tasks += [(t["text"], date.fromisoformat(document["issued_on"])) for t in document.get("tasks") or []]
    return tasks


def median_ns(call: Callable[[], object], repetitions: int) -> float:
    call()  # warm caches (dateparser loads its language data on first use)
    times = []
    for _ in range(repetitions):
        start = time.perf_counter_ns()
        call()
        times.append(time.perf_counter_ns() - start)
    return statistics.median(times)


def _µs(ns: float) -> str:
    return f"{ns / 1000:,.1f} µs"


def run() -> str:
    import dateparser
    from dateparser.search import search_dates

    warnings.filterwarnings("ignore")  # dateparser's deprecation chatter
    phrases, total = corpus_phrases()

    def settings(p: Phrase) -> dict[str, object]:
        # As fair as dateparser allows: the issue date as "today", day-first, last day of a month.
        return {
            "RELATIVE_BASE": datetime.combine(p.issued_on, datetime.min.time()),
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "last",
        }

    rows = []
    ours_ok = parse_ok = search_ok = 0
    dated_ok = {"ours": 0, "parse": 0, "search": 0}
    ours_times, parse_times, search_times = [], [], []
    for p in phrases:
        ours = parse_deadline(p.text, issued_on=p.issued_on)
        ours_right = ours.kind.value == p.kind and ours.due == p.due
        parsed = dateparser.parse(p.text, languages=["vi"], settings=settings(p))
        parsed_day = parsed.date() if parsed else None
        parse_right = parsed_day == p.due
        found = search_dates(p.text, languages=["vi"], settings=settings(p)) or []
        found_days = [d.date() for _, d in found]
        search_right = p.due in found_days if p.due else not found_days
        if p.due:
            dated_ok["ours"] += ours_right
            dated_ok["parse"] += parse_right
            dated_ok["search"] += search_right
        ours_ok += ours_right
        parse_ok += parse_right
        search_ok += search_right
        ours_times.append(
            median_ns(lambda p=p: parse_deadline(p.text, issued_on=p.issued_on), OURS_REPETITIONS)
        )
        parse_times.append(
            median_ns(
                lambda p=p: dateparser.parse(p.text, languages=["vi"], settings=settings(p)),
                DATEPARSER_REPETITIONS,
            )
        )
        search_times.append(
            median_ns(
                lambda p=p: search_dates(p.text, languages=["vi"], settings=settings(p)),
                DATEPARSER_REPETITIONS,
            )
        )
        rows.append(
            f"| {p.text} | {p.kind} {p.due or ''}"
            f" | {'✓' if ours_right else '✗'} {ours.kind.value} {ours.due or ''}"
            f" | {'✓' if parse_right else '✗'} {parsed_day or '—'}"
            f" | {'✓' if search_right else '✗'} {', '.join(map(str, found_days)) or '—'} |"
        )

    tasks = corpus_tasks()
    task_times = [
        median_ns(lambda t=t, i=i: find_deadline(t, issued_on=i), OURS_REPETITIONS) for t, i in tasks
    ]
    n = len(phrases)
    dated = sum(1 for p in phrases if p.due)
    ours_median = statistics.median(ours_times)
    parse_median = statistics.median(parse_times)
    search_median = statistics.median(search_times)
    lines = [
        "## Deadlines: `parse_deadline` against `dateparser`",
        "",
        (
            f"{n} distinct deadline phrases (with their document's issue date) out of the {total} deadline"
            " texts annotated in `tests/corpus/dev/*.json` (03a, 05a, 06a repeat 03, 05, 06). Ours is"
            " right when kind and due date match the annotation; dateparser when its date is the due date"
            " (or it finds nothing where there is no due date). dateparser runs with `languages=['vi']`,"
            " the issue date as `RELATIVE_BASE`, `DATE_ORDER='DMY'`, `PREFER_DAY_OF_MONTH='last'`;"
            " `search_dates` counts as right when any date it finds is the due date. Time: median of"
            f" {OURS_REPETITIONS} (ours) or {DATEPARSER_REPETITIONS} (dateparser) calls per phrase, after one"
            " warm-up call, then the median over phrases. dondoc's rules were written while reading these"
            " same documents, so its accuracy here is not an estimate for unseen documents."
        ),
        "",
        (
            f"| | right | accuracy | right among the {dated} with a due date"
            " | median time per phrase | time vs ours |"
        ),
        "|---|---:|---:|---:|---:|---:|",
        (
            f"| dondoc `parse_deadline` (kind + due) | {ours_ok}/{n} | {ours_ok / n:.0%}"
            f" | {dated_ok['ours']}/{dated}"
            f" | {_µs(ours_median)} | 1× |"
        ),
        (
            f"| `dateparser.parse` (due) | {parse_ok}/{n} | {parse_ok / n:.0%} | {dated_ok['parse']}/{dated}"
            f" | {_µs(parse_median)} | {parse_median / ours_median:,.0f}× |"
        ),
        (
            f"| `dateparser.search.search_dates` (due) | {search_ok}/{n} | {search_ok / n:.0%}"
            f" | {dated_ok['search']}/{dated} | {_µs(search_median)} | {search_median / ours_median:,.0f}× |"
        ),
        "",
        (
            f"`find_deadline` over the {len(tasks)} annotated task texts"
            f" (up to {max(len(t) for t, _ in tasks)}"
            f" characters): median {_µs(statistics.median(task_times))}, slowest task {_µs(max(task_times))}."
        ),
        "",
        "<details><summary>Phrase by phrase</summary>",
        "",
        "| phrase | annotated | dondoc | dateparser.parse | search_dates |",
        "|---|---|---|---|---|",
        *rows,
        "",
        "</details>",
    ]
    return "\n".join(lines)
