"""The Vietnamese catalogues: every string translated, none fuzzy, compiled as committed, none missing from
the source.

Needs GNU gettext (msgfmt, xgettext), which .ci/run installs.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import django.contrib.admin
import pytest
import simple_history
from django.utils import translation

from dondoc.registry.models import Organization, OrganizationKind

SRC = Path(__file__).resolve().parents[1] / "src" / "dondoc"
DJANGO_ADMIN = Path(django.contrib.admin.__file__).parent
SIMPLE_HISTORY = Path(simple_history.__file__).parent
REGISTRY_PO = SRC / "registry" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
DIRECTIVES_PO = SRC / "directives" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
ACCOUNTS_PO = SRC / "accounts" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
CORE_PO = SRC / "core" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
# strings of django-simple-history (it ships no Vietnamese)
# and of Django's admin that Django's catalogue lacks
PROJECT_PO = SRC / "locale" / "vi" / "LC_MESSAGES" / "django.po"


@dataclass(frozen=True, slots=True)
class Entry:
    msgid: str
    msgid_plural: str | None
    msgstrs: tuple[str, ...]
    fuzzy: bool


def read_po(path: Path) -> dict[str, Entry]:
    """The live entries of a .po file by msgid (obsolete '#~' entries left out), the header under ''."""
    entries: dict[str, Entry] = {}
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines or all(line.startswith("#") for line in lines):
            continue
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        current = ""
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += ast.literal_eval(line)
                continue
            current, _, quoted = line.partition(" ")
            fields[current] = ast.literal_eval(quoted)
        msgstrs = tuple(value for key, value in sorted(fields.items()) if key.startswith("msgstr"))
        # gettext keys a message with a context (pgettext) as "context\x04msgid"
        key = f"{fields['msgctxt']}\x04{fields['msgid']}" if "msgctxt" in fields else fields["msgid"]
        entries[key] = Entry(key, fields.get("msgid_plural"), msgstrs, fuzzy)
    return entries


def source_msgids(package: Path, tmp_path: Path) -> set[str]:
    """What `django-admin makemessages` extracts from a fresh copy of the package."""
    copy = tmp_path / package.name
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("locale", "__pycache__", "static"))
    (copy / "locale").mkdir()
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "vi", "--no-location"],
        cwd=copy,
        env=environment,
        check=True,
        capture_output=True,
    )
    return set(read_po(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po")) - {""}


def registry_msgids(tmp_path: Path) -> set[str]:
    return source_msgids(SRC / "registry", tmp_path)


def directives_msgids(tmp_path: Path) -> set[str]:
    return source_msgids(SRC / "directives", tmp_path)


def accounts_msgids(tmp_path: Path) -> set[str]:
    return source_msgids(SRC / "accounts", tmp_path)


def core_msgids(tmp_path: Path) -> set[str]:
    return source_msgids(SRC / "core", tmp_path)


def project_own_msgids(tmp_path: Path) -> set[str]:
    """The project's own strings: the page frame (templates/) and the modules beside the apps (api.py …)."""
    package = tmp_path / "project" / "dondoc"
    shutil.copytree(SRC / "templates", package / "templates")
    for module in SRC.glob("*.py"):
        shutil.copy(module, package / module.name)
    return source_msgids(package, tmp_path)


def project_msgids(tmp_path: Path) -> set[str]:
    django_vietnamese = read_po(DJANGO_ADMIN / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    translated = {
        msgid for msgid, entry in django_vietnamese.items() if all(entry.msgstrs) and not entry.fuzzy
    }
    return (
        source_msgids(SIMPLE_HISTORY, tmp_path)
        | (source_msgids(DJANGO_ADMIN, tmp_path) - translated)
        | project_own_msgids(tmp_path)
    )


def demo_msgids(tmp_path: Path) -> set[str]:
    return source_msgids(SRC / "demo", tmp_path)


def followup_msgids(tmp_path: Path) -> set[str]:
    return source_msgids(SRC / "followup", tmp_path)


CATALOGUES = {
    "registry": (REGISTRY_PO, registry_msgids),
    "directives": (DIRECTIVES_PO, directives_msgids),
    "accounts": (ACCOUNTS_PO, accounts_msgids),
    "core": (CORE_PO, core_msgids),
    "demo": (SRC / "demo" / "locale" / "vi" / "LC_MESSAGES" / "django.po", demo_msgids),
    "followup": (SRC / "followup" / "locale" / "vi" / "LC_MESSAGES" / "django.po", followup_msgids),
    "project": (PROJECT_PO, project_msgids),
}


def test_every_app_has_its_catalogue() -> None:
    apps = {path.parent.name for path in SRC.glob("*/apps.py")}
    assert apps == set(CATALOGUES) - {"project"}


@pytest.fixture(params=sorted(CATALOGUES))
def catalogue(request: pytest.FixtureRequest) -> tuple[Path, Callable[[Path], set[str]]]:
    return CATALOGUES[request.param]


def test_every_msgid_has_a_vietnamese_translation(catalogue: tuple[Path, Callable[[Path], set[str]]]) -> None:
    po, _ = catalogue
    untranslated = [e.msgid for e in read_po(po).values() if e.msgid and not all(e.msgstrs)]
    assert untranslated == []


def test_no_entry_is_fuzzy(catalogue: tuple[Path, Callable[[Path], set[str]]]) -> None:
    po, _ = catalogue
    assert [e.msgid for e in read_po(po).values() if e.fuzzy] == []


def test_placeholders_agree_with_the_english(catalogue: tuple[Path, Callable[[Path], set[str]]]) -> None:
    po, _ = catalogue
    subprocess.run(["msgfmt", "--check", "--output-file=/dev/null", str(po)], check=True, capture_output=True)


def test_the_committed_mo_is_the_compiled_po(catalogue: tuple[Path, Callable[[Path], set[str]]]) -> None:
    po, _ = catalogue
    with po.with_suffix(".mo").open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    messages.pop("")  # msgfmt leaves POT-Creation-Date out of the header
    expected: dict[object, str] = {}
    for entry in read_po(po).values():
        if not entry.msgid or not all(entry.msgstrs):
            continue  # msgfmt compiles translated entries only
        if entry.msgid_plural is None:
            expected[entry.msgid] = entry.msgstrs[0]
        else:
            expected |= {(entry.msgid, n): text for n, text in enumerate(entry.msgstrs)}
    assert messages == expected


def test_the_catalogue_covers_every_string_of_the_source(
    catalogue: tuple[Path, Callable[[Path], set[str]]], tmp_path: Path
) -> None:
    po, msgids = catalogue
    in_source = msgids(tmp_path)
    in_catalogue = set(read_po(po)) - {""}
    assert sorted(in_source - in_catalogue) == [], "run makemessages, translate and compile"
    assert sorted(in_catalogue - in_source) == [], "strings no longer in the source"


def test_django_reads_the_registry_in_vietnamese() -> None:
    with translation.override("vi"):
        assert str(Organization._meta.verbose_name_plural) == "cơ quan, đơn vị"
        assert str(OrganizationKind.STANDING_BOARD.label) == "Ban Thường vụ"
        assert translation.gettext("Changed by") == "Người thay đổi"
        assert translation.gettext("Skip to main content") == "Chuyển đến nội dung chính"
