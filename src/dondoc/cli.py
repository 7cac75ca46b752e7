"""The `dondoc` command: thin, it calls the library."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence
from datetime import date

from dondoc.parsing import ParsedDirective, parse_text
from dondoc.reading import ReadError, read_document
from dondoc.writing import DocumentDataError, document_from_json, write_document

EXIT_UNREADABLE = 2
EXIT_INTERNAL = 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="dondoc", description="Đôn đốc: đọc văn bản chỉ đạo, theo dõi nhiệm vụ."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    parse = commands.add_parser("parse", help="đọc văn bản và trích xuất nhiệm vụ")
    parse.add_argument("files", nargs="+", metavar="FILE")
    parse.add_argument("--json", action="store_true", help="in JSON (một dòng mỗi tệp khi có nhiều tệp)")
    parse.add_argument(
        "--today", type=date.fromisoformat, default=None, help="ngày đối chiếu thời hạn (YYYY-MM-DD)"
    )
    write = commands.add_parser("write", help="viết văn bản (.docx) theo thể thức từ tệp JSON")
    write.add_argument("document", metavar="DOCUMENT.json")
    write.add_argument("-o", "--output", required=True, metavar="OUT.docx", help="tệp .docx được ghi ra")
    args = parser.parse_args(argv)
    try:
        if args.command == "write":
            return _write(args.document, args.output)
        return _parse(args.files, as_json=args.json, today=args.today)
    except BrokenPipeError:
        # the reader of our output went away (`dondoc parse … | head`): nothing left to say
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("dondoc: đã dừng", file=sys.stderr)
        return 130


def _parse(files: list[str], *, as_json: bool, today: date | None) -> int:
    status = 0
    for path in files:
        try:
            document = read_document(path)
        except ReadError as error:
            print(f"dondoc: {error}", file=sys.stderr)
            status = EXIT_UNREADABLE
            continue
        try:
            parsed = parse_text(document.text, today=today)
        except Exception as error:
            print(f"dondoc: lỗi khi phân tích {path}: {type(error).__name__}: {error}", file=sys.stderr)
            status = max(status, EXIT_INTERNAL)
            continue
        if as_json:
            indent = None if len(files) > 1 else 1
            print(json.dumps({"file": path, **parsed.to_json()}, ensure_ascii=False, indent=indent))
        else:
            print(summary(parsed, title=path))
    return status


def _write(source: str, output: str) -> int:
    """The document a JSON file describes, written as .docx; one line on stderr if it cannot be."""
    try:
        with open(source, encoding="utf-8") as file:
            data = json.load(file)
        document = document_from_json(data)
    except OSError as error:
        print(f"dondoc: không đọc được {source}: {error.strerror or error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"dondoc: {source} không phải JSON hợp lệ: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except DocumentDataError as error:
        print(f"dondoc: {source}: {error}", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        with open(output, "wb") as file:
            file.write(write_document(document))
    except OSError as error:
        print(f"dondoc: không ghi được {output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_UNREADABLE
    return 0


def _short(text: str, width: int) -> str:
    return textwrap.shorten(text, width=width, placeholder="…") if text else ""


def summary(parsed: ParsedDirective, *, title: str) -> str:
    """A readable summary in Vietnamese: the header, then a table of tasks."""
    out: list[str] = [f"== {title}"]

    def row(label: str, value: object) -> None:
        if value:
            out.append(f"{label:<18}{value}")

    row("Cơ quan ban hành", parsed.issuer.value if parsed.issuer else "")
    row("Số, ký hiệu", parsed.number.value if parsed.number else "")
    row("Loại văn bản", parsed.type.value if parsed.type else "")
    place = parsed.place.value + ", " if parsed.place else ""
    row("Ngày ban hành", f"{place}{parsed.issued_on:%d/%m/%Y}" if parsed.issued_on else "")
    row("Trích yếu", _short(parsed.subject.value, 100) if parsed.subject else "")
    row("Độ mật", parsed.classification.value if parsed.classification else "")
    row("Độ khẩn", parsed.urgency.value if parsed.urgency else "")
    row("Kính gửi", "; ".join(a.value for a in parsed.addressees))
    if parsed.signer:
        s = parsed.signer
        row(
            "Người ký",
            " – ".join(
                x
                for x in (s.authority and f"{s.authority} {s.on_behalf_of or ''}".strip(), s.title, s.name)
                if x
            ),
        )
    row("Viện dẫn", "; ".join(r.number or f"{r.type} {r.issued_on or ''}".strip() for r in parsed.references))
    out.append("")
    out.append(f"Nhiệm vụ ({len(parsed.tasks)}):")
    header = f"{'Số':<5} {'Nội dung rút gọn':<60} {'Chủ trì':<28} {'Phối hợp':<28} Thời hạn"
    out.append(header)
    out.append("-" * len(header))
    for task in parsed.tasks:
        deadline = task.deadline
        when = deadline.text or "—"
        if deadline.due:
            when = f"{deadline.due:%d/%m/%Y} ({_short(deadline.text, 40)})"
        out.append(
            f"{(task.label or '-'):<5} {_short(task.text, 60):<60} "
            f"{_short('; '.join(f.value for f in task.lead) or '(các cơ quan nhận)', 28):<28} "
            f"{_short('; '.join(f.value for f in task.coordinating), 28):<28} {when}"
        )
    for warning in parsed.warnings:
        out.append(f"! {warning}")
    for task in parsed.tasks:
        for warning in task.warnings:
            if not warning.startswith("chưa xác định cơ quan chủ trì"):
                out.append(f"! nhiệm vụ {task.label or '-'}: {warning}")
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
