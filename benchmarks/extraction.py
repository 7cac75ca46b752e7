"""Extraction quality on every annotated corpus, scored by the shared scorer; time to OCR the signed scans."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import itertools
import json
import os
import re
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

from dondoc.parsing import parse_text
from dondoc.reading import ReadError, read_document

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT / "tests" / "corpus"
SCORER_PATH = ROOT / "tests" / "tools" / "score_extraction.py"
FOLDERS = {
    "dev": "written with the parser",
    "holdout": "written without looking at the parser",
    "holdout2": "written without looking at the parser",
    "real-headers": "real OCR'd documents: number, date and subject only",
    "real": "",
    "real2": "further real documents, annotated without looking at the reader, scored once before tuning",
}
FIELDS = ("header", "signer", "deadline", "addressees", "references", "tasks", "lead", "coordinating")
OCR_TARGET_S_PER_PAGE = 10.0
TIMEOUT_S = 120

# Typed from the record: this benchmark's first run, before any change for issue 13
# (2026-12-05, main a26e8bf).
FIRST_RUN: dict[str, dict[str, float]] = {
    "real, all 37": {
        "overall": 0.623,
        "header": 0.541,
        "signer": 0.357,
        "deadline": 1.000,
        "addressees": 0.127,
        "references": 0.743,
        "tasks": 0.473,
        "lead": 0.945,
        "coordinating": 0.800,
    },
    "real scans": {
        "overall": 0.599,
        "header": 0.476,
        "signer": 0.200,
        "deadline": 1.000,
        "addressees": 0.000,
        "references": 0.786,
        "tasks": 0.444,
        "lead": 0.889,
        "coordinating": 1.000,
    },
    "real-headers": {"overall": 0.816, "header": 0.816},
    # collected and annotated later in the same session; its first run was with the reader of main
    # 1784dbc (the work on real/ done, the addressee, signer and reference work in progress)
    "real2": {
        "overall": 0.820,
        "header": 0.833,
        "signer": 0.429,
        "deadline": 0.923,
        "addressees": 0.889,
        "references": 0.857,
        "tasks": 0.867,
        "lead": 0.759,
        "coordinating": 1.000,
    },
}
# The issue's own figures, from its author, before the first run.
ISSUE_FIGURES: dict[str, dict[str, float]] = {
    "real": {"overall": 0.645, "header": 0.56, "signer": 0.44, "addressees": 0.21, "tasks": 0.49},
    "real-headers": {"overall": 0.816},
}

_FIELD_LINE = re.compile(r"^(\w+)\s+(\d+\.\d)%", re.MULTILINE)
_OVERALL_LINE = re.compile(r"^overall (\d\.\d{3})$", re.MULTILINE)
_FAILED_LINE = re.compile(r"^failed\s+(\d+) of (\d+) documents$", re.MULTILINE)


def _load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_extraction", SCORER_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Parsed:
    """An annotated input and what `parse_text` gave for it (None when it could not be read)."""

    annotation: Path
    source: Path
    output: dict[str, object] | None


@dataclass
class ScanReading:
    name: str
    pages: int
    seconds: float
    page_seconds: list[float] = field(default_factory=list)


@dataclass
class Score:
    documents: int
    failed: int
    overall: float
    fields: dict[str, float]


def _source_of(annotation: Path, suffixes: tuple[str, ...]) -> Path | None:
    return next((annotation.with_suffix(s) for s in suffixes if annotation.with_suffix(s).exists()), None)


def _read_timed(path: Path) -> tuple[str, ScanReading]:
    """Read a file once, timing it whole and page by page (the time between two progress reports)."""
    marks: list[float] = []
    pages_in_all = [0]

    def progress(done: int, total: int) -> None:
        marks.append(time.perf_counter())
        pages_in_all[0] = total

    start = time.perf_counter()
    document = read_document(path, progress=progress)
    seconds = time.perf_counter() - start
    page_seconds = [after - before for before, after in itertools.pairwise([start, *marks])]
    pages = pages_in_all[0] or document.pages
    return document.text, ScanReading(path.name, pages, seconds, page_seconds)


def _parse_folder(folder: Path, suffixes: tuple[str, ...]) -> tuple[list[Parsed], list[ScanReading]]:
    """Parse every annotated input of a folder in-process; scans of `real` are read once, timed."""
    parsed, scans = [], []
    for annotation in sorted(folder.glob("*.json")):
        source = _source_of(annotation, suffixes)
        if source is None:
            continue
        try:
            if source.stem.endswith("-scan"):
                text, reading = _read_timed(source)
                scans.append(reading)
            else:
                text = read_document(source).text
        except ReadError:
            parsed.append(Parsed(annotation, source, None))  # the scorer counts it as failed
            continue
        parsed.append(Parsed(annotation, source, parse_text(text).to_json()))
    return parsed, scans


def _score(scorer: ModuleType, documents: list[Parsed]) -> Score:
    """Score these documents alone: a folder of links to them, a folder of outputs, the scorer's report."""
    with tempfile.TemporaryDirectory(prefix="dondoc-extraction-") as folder:
        corpus, outputs = Path(folder) / "corpus", Path(folder) / "outputs"
        corpus.mkdir()
        outputs.mkdir()
        for document in documents:
            (corpus / document.annotation.name).symlink_to(document.annotation)
            (corpus / document.source.name).symlink_to(document.source)
            if document.output is not None:
                (outputs / document.annotation.name).write_text(
                    json.dumps(document.output, ensure_ascii=False), encoding="utf-8"
                )
        report = io.StringIO()
        with contextlib.redirect_stdout(report):
            scorer.score(str(corpus), None, str(outputs), True, TIMEOUT_S)
    text = report.getvalue()
    overall, failed = _OVERALL_LINE.search(text), _FAILED_LINE.search(text)
    assert overall is not None and failed is not None, text
    fields = {m.group(1): float(m.group(2)) / 100 for m in _FIELD_LINE.finditer(text)}
    return Score(int(failed.group(2)), int(failed.group(1)), float(overall.group(1)), fields)


def _figure(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _field_cells(figures: dict[str, float]) -> str:
    return " | ".join(_figure(figures.get(name)) for name in FIELDS)


def _as_recorded(figures: dict[str, float]) -> str:
    """Figures with the precision they were given in (the issue gives two decimals)."""
    return " | ".join(f"{figures[name]:g}" if name in figures else "—" for name in FIELDS)


def _seconds(value: float) -> str:
    return f"{value:,.1f} s"


def run() -> str:
    scorer = _load_scorer()
    suffixes: tuple[str, ...] = tuple(scorer.INPUT_EXTS)
    rows: list[tuple[str, str, list[Parsed]]] = []
    scans: list[ScanReading] = []
    for name in FOLDERS:
        folder = CORPORA / name
        parsed, read = _parse_folder(folder, suffixes)
        scans += read
        if name != "real":
            rows.append((name, f"`tests/corpus/{name}/`: {FOLDERS[name]}", parsed))
            continue
        texts = [p for p in parsed if not p.source.stem.endswith("-scan")]
        signed = [p for p in parsed if p.source.stem.endswith("-scan")]
        rows += [
            ("real", f"`real/*.txt`: the {len(texts)} documents as published", texts),
            ("real scans", f"`real/*-scan.pdf`: the {len(signed)} signed scans, OCR included", signed),
            ("real, all 37", f"`tests/corpus/real/`: all {len(parsed)} files", parsed),
        ]
    # the scans are read last (real/), so this is the load while they were read
    load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"
    scores = {name: _score(scorer, documents) for name, _, documents in rows}

    def first_to_now(name: str) -> str:
        first = FIRST_RUN.get(name, {}).get("overall")
        return "—" if first is None else f"{first:.3f} → {scores[name].overall:.3f}"

    def documents_cell(score: Score) -> str:
        return f"{score.documents}" + (f" ({score.failed} failed)" if score.failed else "")

    all_pages = [seconds for scan in scans for seconds in scan.page_seconds]
    median_page = statistics.median(all_pages) if all_pages else 0.0
    slowest_page = max(all_pages, default=0.0)

    def verdict(seconds: float) -> str:
        return "**pass**" if seconds <= OCR_TARGET_S_PER_PAGE else "**fail**"

    field_header = " | ".join(FIELDS)
    field_rule = "|".join("---:" for _ in FIELDS)
    lines = [
        "## Extraction quality on every corpus (`benchmarks/extraction.py`)",
        "",
        (
            "Every annotated input is read with `read_document` and parsed in-process"
            " (`parse_text(text).to_json()`, as `tests/test_extraction_score.py` does), then scored by the"
            " shared scorer `tests/tools/score_extraction.py` (`score(corpus, None, outputs, True, 120)`)."
            " Header and signer are the share of annotated fields right; addressees, references, tasks, lead"
            " and coordinating are F1; deadline is the share right among the tasks matched; overall is the"
            " mean of the fields the corpus scores (— where a corpus annotates none). The signed scans are"
            " read end to end, OCR included, in this same run."
        ),
        "",
        f"| corpus | what | documents | overall | first run → now | {field_header} |",
        f"|---|---|---:|---:|---:|{field_rule}|",
        *(
            (
                f"| {name} | {what} | {documents_cell(scores[name])} | **{scores[name].overall:.3f}**"
                f" | {first_to_now(name)} | {_field_cells(scores[name].fields)} |"
            )
            for name, what, _ in rows
        ),
        "",
        (
            "**OCR of the signed scans**: `read_document` on each `tests/corpus/real/*-scan.pdf`, one run,"
            " not pinned (`tesseract` runs on one thread). A page's time runs from one page reported"
            " through `progress` to the next (the first page's includes opening the PDF)."
            f" Over all {len(all_pages)} pages: median **{_seconds(median_page)}** a page, slowest"
            f" {_seconds(slowest_page)}. Target ≤ {OCR_TARGET_S_PER_PAGE:g} s a page: median"
            f" {verdict(median_page)}, slowest page {verdict(slowest_page)}. 1-minute load average after"
            f" reading: {load} (other work on the machine slows OCR)."
        ),
        "",
        "| scan | pages | seconds to read | seconds per page | slowest page |",
        "|---|---:|---:|---:|---:|",
        *(
            (
                f"| {scan.name} | {scan.pages} | {_seconds(scan.seconds)}"
                f" | {_seconds(scan.seconds / max(scan.pages, 1))}"
                f" | {_seconds(max(scan.page_seconds, default=scan.seconds))} |"
            )
            for scan in scans
        ),
        "",
        (
            "**First runs, before any change made because of each set** (recorded figures, not measured in"
            " this run): real and real-headers on main a26e8bf, before any change for issue 13; real2 when it"
            " was added (main 1784dbc); with the issue's own figures from its author before that:"
        ),
        "",
        f"| corpus | overall | {field_header} |",
        f"|---|---:|{field_rule}|",
        *(
            f"| {name} (first run) | {figures['overall']:.3f} | {_field_cells(figures)} |"
            for name, figures in FIRST_RUN.items()
        ),
        *(
            f"| {name} (issue 13, its author) | {figures['overall']:g} | {_as_recorded(figures)} |"
            for name, figures in ISSUE_FIGURES.items()
        ),
        "",
        "Field by field, first run → this run:",
        "",
        f"| corpus | overall | {field_header} |",
        f"|---|---:|{field_rule}|",
        *(
            (
                f"| {name} | {figures['overall']:.3f} → {scores[name].overall:.3f} | "
                + " | ".join(
                    (
                        f"{figures[f]:.3f} → {_figure(scores[name].fields.get(f))}"
                        if f in figures
                        else _figure(scores[name].fields.get(f))
                    )
                    for f in FIELDS
                )
                + " |"
            )
            for name, figures in FIRST_RUN.items()
        ),
    ]
    return "\n".join(lines)
