"""The `dondoc` command, run as a clerk runs it: a separate process, files on disk."""

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "dondoc" / "samples" / "1317-CV-TU.md"
EXIT_UNREADABLE = 2


def dondoc(*args: str | Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "dondoc", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=env,
        check=False,
    )


def assert_one_clear_error(run: subprocess.CompletedProcess) -> None:
    assert run.returncode == EXIT_UNREADABLE
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("dondoc: ")


# --- Good input -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_summary() -> subprocess.CompletedProcess:
    return dondoc("parse", SAMPLE)


def test_summary_of_the_sample_succeeds_quietly(sample_summary):
    assert sample_summary.returncode == 0
    assert sample_summary.stderr == ""


def test_summary_of_the_sample_shows_the_header_in_vietnamese(sample_summary):
    out = sample_summary.stdout
    assert "Cơ quan ban hành" in out and "TỈNH ỦY ĐẮK NÔNG" in out
    assert "1317-CV/TU" in out
    assert "17/04/2023" in out


def test_summary_of_the_sample_lists_its_11_tasks(sample_summary):
    lines = sample_summary.stdout.splitlines()
    assert "Nhiệm vụ (11):" in lines
    rows = lines[lines.index("Nhiệm vụ (11):") + 3 :]
    labels = [row.split()[0] for row in rows if row and not row.startswith("!")]
    assert labels == [str(n) for n in range(1, 12)]


def test_json_is_one_object_in_the_schema_shape():
    run = dondoc("parse", SAMPLE, "--json")
    assert run.returncode == 0
    parsed = json.loads(run.stdout)
    assert parsed["number"] == "1317-CV/TU"
    assert parsed["issued_on"] == "2023-04-17"
    assert len(parsed["tasks"]) == 11
    assert {
        "issuer",
        "type",
        "place",
        "subject",
        "addressees",
        "distribution",
        "signer",
        "references",
    } <= parsed.keys()


def test_several_files_give_json_lines(tmp_path):
    other = tmp_path / "cong-van.md"
    other.write_text(
        "UBND TỈNH SƠN LA\nSỞ NỘI VỤ\nSố: 300/SNV-VP\nSơn La, ngày 20 tháng 5 năm 2024\n\n"
        "1. Các đơn vị rà soát vị trí việc làm, hoàn thành trong tháng 6/2024.\n",
        encoding="utf-8",
    )
    run = dondoc("parse", SAMPLE, other, "--json")
    assert run.returncode == 0
    lines = run.stdout.strip().splitlines()
    assert [json.loads(line)["number"] for line in lines] == ["1317-CV/TU", "300/SNV-VP"]
    assert [json.loads(line)["file"] for line in lines] == [str(SAMPLE), str(other)]


def test_today_adds_a_warning_for_deadlines_already_past():
    run = dondoc("parse", SAMPLE, "--today", "2024-01-01")
    assert run.returncode == 0
    assert "đã qua" in run.stdout


# --- Unreadable input --------------------------------------------------------------------------


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "rong.md"
    path.write_bytes(b"")
    return path


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "khong-co.md"


def _directory(tmp_path: Path) -> Path:
    return tmp_path


def _corrupt_pdf(tmp_path: Path) -> Path:
    path = tmp_path / "hong.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n%%EOF")
    return path


def _zip_bomb_docx(tmp_path: Path) -> Path:
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b" " * (20 * 1024 * 1024))
    return path


def _binary_txt(tmp_path: Path) -> Path:
    path = tmp_path / "nhi-phan.txt"
    path.write_bytes(bytes(range(256)) * 16)
    return path


UNREADABLE = [_empty, _missing, _directory, _corrupt_pdf, _zip_bomb_docx, _binary_txt]


@pytest.mark.parametrize("make", UNREADABLE, ids=lambda make: make.__name__.strip("_"))
def test_unreadable_file_exits_2_with_one_line_on_stderr(tmp_path, make):
    run = dondoc("parse", make(tmp_path))
    assert_one_clear_error(run)
    assert run.stdout == ""


def test_unreadable_file_with_json_exits_2_too(tmp_path):
    assert_one_clear_error(dondoc("parse", _binary_txt(tmp_path), "--json"))


def test_good_output_is_still_printed_beside_a_bad_file(tmp_path):
    run = dondoc("parse", SAMPLE, _corrupt_pdf(tmp_path), "--json")
    assert_one_clear_error(run)
    assert json.loads(run.stdout.strip().splitlines()[0])["number"] == "1317-CV/TU"


def test_a_bad_file_first_does_not_stop_the_good_one(tmp_path):
    run = dondoc("parse", _missing(tmp_path), SAMPLE)
    assert_one_clear_error(run)
    assert "Nhiệm vụ (11):" in run.stdout


def test_error_line_names_the_file(tmp_path):
    path = _corrupt_pdf(tmp_path)
    assert str(path) in dondoc("parse", path).stderr


# --- Bounded memory on hostile files ----------------------------------------------------------

# Runs the CLI in a child and reports the child's peak resident memory (kB on Linux).
_MEASURE = """
import json, resource, subprocess, sys
run = subprocess.run([sys.executable, "-m", "dondoc", "parse", sys.argv[1]], capture_output=True, \
text=True, timeout=60)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": run.returncode, "stderr": run.stderr, "peak_kb": peak}))
"""


def _peak_memory_run(path: Path) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    return json.loads(run.stdout)


def _large_zip_bomb_docx(tmp_path: Path) -> Path:
    """300 MB of zeros inflating from a few hundred kB: a real decompression bomb."""
    path = tmp_path / "bom-lon.docx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(300):
                member.write(chunk)
    return path


def _pixel_bomb_png(tmp_path: Path) -> Path:
    """A 30,000 × 30,000 one-bit image: tiny on disk, 900 megapixels once decoded."""
    from PIL import Image

    path = tmp_path / "bom.png"
    Image.new("1", (30_000, 30_000)).save(path, optimize=True)
    return path


@pytest.mark.parametrize(
    "make", [_large_zip_bomb_docx, _pixel_bomb_png], ids=["zip-bomb-docx", "pixel-bomb-png"]
)
def test_decompression_bombs_are_refused_without_eating_memory(tmp_path, make):
    result = _peak_memory_run(make(tmp_path))
    assert result["code"] == EXIT_UNREADABLE, result
    assert "Traceback" not in result["stderr"]
    assert len(result["stderr"].strip().splitlines()) == 1
    assert result["peak_kb"] < 300 * 1024, f"peak {result['peak_kb'] / 1024:.0f} MB"


# --- Writing a document -----------------------------------------------------------------------

LETTER_JSON = {
    "issuer": {
        "system": "party",
        "name": "Ban Tổ chức",
        "symbol": "BTCTU",
        "place": "Đắk Nông",
        "parent": "Tỉnh ủy Đắk Nông",
    },
    "kind": "letter",
    "subject": "đôn đốc thực hiện Kết luận số 50-KL/TW",
    "created": "2026-03-31",
    "addressees": ["Ban Thường vụ Huyện ủy Cư Jút"],
    "body": [
        {"kind": "paragraph", "text": "Đề nghị báo cáo kết quả thực hiện nhiệm vụ 1 trước ngày 15/4/2026."},
        {"headers": ["Nhiệm vụ", "Thời hạn"], "rows": [["1", "31/5/2023"]]},
    ],
    "signer": {"title": "Phó Trưởng ban", "authority": "KT. Trưởng ban"},
    "distribution": ["Như trên,", "Lưu VT."],
}


def test_write_turns_a_json_document_into_an_official_docx(tmp_path):
    source, target = tmp_path / "cong-van.json", tmp_path / "cong-van.docx"
    source.write_text(json.dumps(LETTER_JSON, ensure_ascii=False), encoding="utf-8")
    run = dondoc("write", source, "-o", target)
    assert (run.returncode, run.stderr) == (0, "")
    written = docx.Document(str(target))
    header = written.tables[0]
    assert header.rows[0].cells[1].text == "ĐẢNG CỘNG SẢN VIỆT NAM"
    assert "V/v đôn đốc thực hiện Kết luận số 50-KL/TW" in header.rows[1].cells[0].text
    assert "Kính gửi: Ban Thường vụ Huyện ủy Cư Jút" in [p.text for p in written.paragraphs]


def _not_json(tmp_path: Path) -> Path:
    path = tmp_path / "hong.json"
    path.write_text('{"issuer": ', encoding="utf-8")
    return path


def _without_subject(tmp_path: Path) -> Path:
    path = tmp_path / "thieu.json"
    path.write_text(json.dumps({k: v for k, v in LETTER_JSON.items() if k != "subject"}), encoding="utf-8")
    return path


def _unknown_system(tmp_path: Path) -> Path:
    path = tmp_path / "he-thong.json"
    document = {**LETTER_JSON, "issuer": {**LETTER_JSON["issuer"], "system": "army"}}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _ragged_table(tmp_path: Path) -> Path:
    path = tmp_path / "bang.json"
    document = {**LETTER_JSON, "body": [{"headers": ["Nhiệm vụ", "Thời hạn"], "rows": [["1"]]}]}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_missing, "không đọc được"),
        (_not_json, "không phải JSON hợp lệ"),
        (_without_subject, "“subject”"),
        (_unknown_system, "“issuer.system”"),
        (_ragged_table, "“body[0].rows[0]”"),
    ],
    ids=["missing", "not-json", "without-subject", "unknown-system", "ragged-table"],
)
def test_write_refuses_a_bad_file_in_one_line(tmp_path, make, says):
    target = tmp_path / "out.docx"
    run = dondoc("write", make(tmp_path), "-o", target)
    assert_one_clear_error(run)
    assert says in run.stderr
    assert not target.exists()
