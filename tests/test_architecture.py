"""The layers of docs/architecture.md are the ones .importlinter enforces, and the code keeps them."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = {path.parent.name for path in (ROOT / "src" / "dondoc").glob("*/apps.py")}


def layers() -> list[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter", encoding="utf-8")
    listed = config["importlinter:contract:apps-layers"]["layers"].split()
    return [name.strip("()").removeprefix("dondoc.") for name in listed]


def test_every_app_has_its_place_in_the_layers():
    assert set(layers()) >= APPS


def test_the_architecture_page_names_every_app_in_the_order_of_the_layers():
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    first_cells = [re.match(r"\| `(\w+)`", line) for line in page.splitlines()]
    rows = [found.group(1) for found in first_cells if found and found.group(1) in set(layers())]
    assert rows == list(reversed(layers()))


def test_the_import_contracts_hold():
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command is not None, "import-linter is a dev dependency"
    result = subprocess.run([command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-2000:]
