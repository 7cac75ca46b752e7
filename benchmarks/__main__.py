"""Run every benchmark module (or those named) and rewrite their sections of BENCHMARKS.md."""

from __future__ import annotations

import importlib
import os
import pkgutil
import platform
import re
import sys
from datetime import date
from pathlib import Path

import benchmarks

OUTPUT = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
_SECTION = re.compile(
    r"<!-- benchmark: (?P<name>\w+) -->\n(?P<body>.*?)<!-- /benchmark: (?P=name) -->\n", re.DOTALL
)


def module_names() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(benchmarks.__path__) if not m.name.startswith("_"))


def header() -> str:
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        "# Benchmarks\n\n"
        "Written by `uv run python -m benchmarks`; do not edit by hand.\n\n"
        f"- Machine: {cpus} CPUs (`nproc`), {platform.machine()}, {platform.system()} {platform.release()}\n"
        f"- Python: {platform.python_implementation()} {platform.python_version()}\n"
        f"- Date: {date.today().isoformat()}\n"
    )


def main(argv: list[str]) -> int:
    names = argv or module_names()
    unknown = sorted(set(names) - set(module_names()))
    if unknown:
        print(f"no benchmark module: {', '.join(unknown)}", file=sys.stderr)
        return 2
    previous = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
    sections = {m.group("name"): m.group("body") for m in _SECTION.finditer(previous)}
    for name in names:
        print(f"running benchmarks.{name} …", file=sys.stderr)
        body = importlib.import_module(f"benchmarks.{name}").run().strip() + "\n"
        sections[name] = body
        print(body)
    parts = [header()]
    for name in sorted(sections):
        parts.append(f"<!-- benchmark: {name} -->\n{sections[name]}<!-- /benchmark: {name} -->\n")
    OUTPUT.write_text("\n".join(parts), encoding="utf-8")
    print(f"wrote {OUTPUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
