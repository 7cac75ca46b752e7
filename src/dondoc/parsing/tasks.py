"""Tasks: the items of a directive that ask someone to act, with their parties and deadlines.

The body is read into an outline (roman sections, numbered items, lettered sub-items, dash items,
field lines, table rows, free paragraphs); tasks are then the lowest items that assign work, in
sections that assign work. A lead named in a parent item ("1. Thủ trưởng các sở …:") or in a
heading that only names a unit ("6. Ban Tổ chức Tỉnh ủy") is given to each child. What is attached
after the signature opens its own outline: an attached plan assigns work, attached rules and
appendices do not. The articles of a quyết định decide, unless one is a list of assignments.
Without numbered items, a paragraph that asks a named body to act is a task.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date

from dondoc.parsing.agencies import correct_ocr_name, find_names, starts_with_head, strip_title
from dondoc.parsing.deadlines import find_deadline, parse_deadline
from dondoc.parsing.lines import is_table_row, table_cells
from dondoc.parsing.model import Deadline, DeadlineKind, Field, Task
from dondoc.parsing.snippet import Snippet
from dondoc.text import fold, uppercase_ratio


def _any_word(*words: str) -> str:
    r"""Regex source for any of the words where a word begins, as r"\b(?:w1|w2)" reads: a pattern that
    opens with \b makes the regex engine try every position of a paragraph, one that opens with the
    words' letters lets it skip to where they occur (the look-behind then checks the word boundary)."""
    return "(?:" + "|".join(rf"{re.escape(word)}(?<!\w{re.escape(word)})" for word in words) + ")"


_ROMAN = re.compile(r"^([IVX]{1,5})\s*[.)/\-–]\s*(\S.*)$")
_UPPER_SECTION = re.compile(r"^([A-Z])\s*[.)]\s+([^a-zà-ỹđ]{3,})$")
# on folded text, so OCR's "Ðiều" (with Ð, U+00D0), "Điểu" or "Dieu" are articles too
_ARTICLE = re.compile(r"^dieu\s+(\d+)\s*([.:])?\s*(.*)$")
_DOTTED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+)\.?\s+(\S.*)$")
_NUMBER = re.compile(r"^(\d{1,2})\s*(?:[.)]|/(?=\s))\s*(\S.*)$")
_LETTER = re.compile(r"^([a-zđ])\s*[).]\s+(\S.*)$")
_DASH = re.compile(r"^[-–—•+]\s*(\S.*)$")
_FIELD = re.compile(
    r"^[-–•+]?\s*(noi dung(?: nhiem vu| cong viec)?|(?:co quan|don vi)?\s*chu tri"
    r"|(?:co quan|don vi)?\s*phoi hop"
    r"|thoi gian(?: thuc hien| hoan thanh)?|thoi han(?: hoan thanh| thuc hien)?|tien do(?: thuc hien)?"
    r"|san pham(?: dau ra)?|ket qua(?: dau ra)?)\s*:\s*"
)
# a page number ("2", "- 2 -", "Trang 2", OCR's "2 3" for two facing pages)
_PAGE_NUMBER = re.compile(r"^\s*(?:trang\s+)?[-–]?\s*\d{1,3}(?:\s+\d{1,3})?\s*[-–]?\s*$", re.IGNORECASE)
# "(1) …": the third level of an outline (1. → a) → (1)), read as an item only after a finished line
_PAREN_NUMBER = re.compile(r"^\((\d{1,2})\)\s*(\S.*)$")
# a line that stops mid-phrase: a comma or a word that cannot end a sentence
_DANGLING_WORDS = "và|của|các|với|tháng|ngày|năm|số|đến|từ|tại|là|cho|về|hoặc"
_BREAKS_OFF = re.compile(rf"(?:,|\b(?:{_DANGLING_WORDS}))\s*$")
_DANGLING_REACH = max(len(word) for word in _DANGLING_WORDS.split("|"))
_CLOSING_MARKS = "'\"”’)"
_TERMINAL = re.compile(rf"[.;:!?…][{_CLOSING_MARKS}]*\s*$|\./\.\s*$")


# Both patterns end the text (but for spaces and closing marks), so each is searched for only where a
# match can start, not at every character of a long paragraph.
def _breaks_off(text: str) -> bool:
    return _BREAKS_OFF.search(text, max(0, len(text.rstrip()) - _DANGLING_REACH)) is not None


def _ends_clause(text: str) -> bool:
    return _TERMINAL.search(text, max(0, len(text.rstrip().rstrip(_CLOSING_MARKS)) - 1)) is not None


# Section titles whose items do not assign work.
_NOT_TASK_SECTIONS = (
    "muc dich",
    "yeu cau",
    "muc tieu",
    "quan diem",
    "ket qua",
    "danh gia",
    "tinh hinh",
    "phuong huong",
    "kien nghi",
    "de xuat",
    "dac diem",
    "can cu",
    "su can thiet",
    "boi canh",
    "pham vi",
    "doi tuong",
    "nguyen tac",
    "thuc trang",
    "uu diem",
    "han che",
    "nguyen nhan",
    "bai hoc",
    "chi tieu",
)
_ASSESSMENT_OPENERS = (
    "thoi gian qua",
    "nhin chung",
    "uu diem",
    "han che",
    "ton tai",
    "nguyen nhan",
    "ket qua dat duoc",
    "bai hoc",
    "danh gia chung",
    "tuy nhien",
    "trong thoi gian qua",
    "qua theo doi",
    "qua kiem tra",
)
# Reports and records ask nothing; legal normative documents (nghị định, thông tư, luật …) lay
# down rules in articles and clauses, which are not tasks to follow up.
_NOT_DIRECTIVES = (
    "bao cao",
    "to trinh",
    "bien ban",
    "giay moi",
    "giay gioi thieu",
    "nghi dinh",
    "thong tu",
    "luat",
    "phap lenh",
    "hien phap",
    "van ban hop nhat",
)


@dataclass(slots=True)
class Node:
    kind: str  # root | section | article | item | dash | row | para
    label: str | None
    level: int
    head: Snippet
    lines: list[Snippet] = field(default_factory=list)
    fields: dict[str, Snippet] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)
    cells: dict[str, Snippet] = field(default_factory=dict)

    @property
    def text(self) -> Snippet:
        return Snippet.join([self.head, *self.lines]) if self.lines else self.head

    @property
    def is_heading(self) -> bool:
        """A title line ("1. Công tác tuyên truyền, quán triệt") whose content follows it."""
        text = self.head.text.strip()
        return not self.lines and not _ends_clause(text) and len(text.split()) <= 16


# What follows the signature of a directive may be attached to it: a plan whose items are tasks, or
# rules (quy định, quy chế), appendices and lists that ask nobody to act.
# "(Ban hành kèm theo Quyết định số …)", "(Kèm theo văn bản số …)": the attachment's own line
_ATTACHED = re.compile(
    r"^[^\w(]{0,3}\(\s*(?:ban hanh\s+)?kem theo\s+(?:quyet dinh|cong van|van ban|ke hoach|thong bao|chi thi"
    r"|nghi quyet|cong dien|to trinh|huong dan|chuong trinh)\b"
)
# the title line of an attachment ("PHỤ LỤC II", "KẾ HOẠCH", "Chương I")
_ATTACHMENT_TITLE = re.compile(
    r"^(?:phu luc|ke hoach|chuong trinh|quy dinh|quy che|dieu le|noi quy|danh sach|danh muc|bieu mau"
    r"|huong dan|de an|phuong an|chuong\s+(?:[ivx]{1,4}|\d{1,2}))\b"
)
_TITLE_WORD = re.compile(  # on folded OCR text, where "_Phụ lục" has no word boundary
    r"(?<![a-z0-9])(?:(phu luc|danh sach|danh muc|bieu mau|bang tong hop)|(quy dinh|quy che|dieu le|noi quy)"
    r"|(ke hoach|chuong trinh|de an|phuong an|huong dan))(?![a-z0-9])"
)
_TITLE_ASSIGNS = re.compile(r"\b(?:nhiem vu|phan cong|trach nhiem)\b")
# the first lines of a set of rules: "Chương I", "Điều 1. Phạm vi điều chỉnh", "Quy định này quy định …"
_RULES_OPENING = re.compile(
    r"^\W*(?:\d{1,2}\s*[.)]\s*)?(?:chuong\s+(?:[ivx]{1,4}|\d)\b|dieu\s+1\b|pham vi dieu chinh"
    r"|(?:quy dinh|quy che|dieu le) nay\b)"
)
# the scope clause that opens a set of rules, even where its title and "(kèm theo …)" line are lost
_RULES_SCOPE = re.compile(
    r"^\W*(?:\d{1,2}\s*[.)]\s*)?(?:quy dinh|quy che|dieu le) nay (?:quy dinh|ap dung|dieu chinh)\b"
)
PLAN, RULES, APPENDIX = "plan", "rules", "appendix"


def find_attachments(lines: list[Snippet], skip: set[int]) -> dict[int, str]:
    """Where each attached document starts (line index) and what it is: PLAN, RULES or APPENDIX."""
    starts: dict[int, str] = {}
    in_body = signed = False  # a title standing alone counts once the body has been signed off
    for i, line in enumerate(lines):
        if i in skip:
            signed = signed or in_body
            continue
        folded = line.folded.strip()
        if not folded:
            continue
        in_body = True
        if _ATTACHED.match(folded):
            title, top = _title_above(lines, skip, i)
            start = next((j for j in range(top, i) if _TITLE_WORD.search(lines[j].folded)), i)
            if not signed and (start == i or uppercase_ratio(lines[start].text) < 0.8):
                continue  # "… theo biểu mẫu / (kèm theo Công văn này)": a sentence wrapped in the body
            for j in [j for j in starts if start <= j <= i]:
                del starts[j]
            starts[start] = _attachment_kind(title) or _kind_by_content(lines, skip, i)
        elif _RULES_SCOPE.match(folded):
            if not starts or starts[max(starts)] != RULES:
                starts[i] = RULES
        elif signed and _is_attachment_title(line):
            kind = _attachment_kind(folded) or RULES
            current = starts[max(starts)] if starts else None
            if kind == current and not folded.startswith("phu luc"):
                continue  # "QUY ĐỊNH CHUNG", "Chương II": a heading inside the attachment
            if kind == RULES and folded.startswith("chuong") and current == PLAN:
                continue  # the chapters of an attached plan
            starts[i] = kind
    return starts


def _is_attachment_title(line: Snippet) -> bool:
    text = line.text.strip(" *_#\t")
    folded = fold(text)
    if not _ATTACHMENT_TITLE.match(folded) or len(text.split()) > 12 or re.search(r"[.;,]\s*$", text):
        return False
    # "Phụ lục 1" and "Chương II" stand out by themselves; other titles are set in capitals
    return folded.startswith(("phu luc", "chuong")) or uppercase_ratio(text) > 0.8


def _title_above(lines: list[Snippet], skip: set[int], at: int) -> tuple[str, int]:
    """The title lines above an attachment's "(kèm theo …)" line: up to five, up to a finished sentence."""
    parts: list[str] = []
    top = at
    seen = 0
    for j in range(at - 1, max(-1, at - 12), -1):
        if j in skip:
            break
        text = lines[j].text.strip()
        if not text:
            continue
        if seen == 5 or (re.search(r"[.;:]\s*$", text) and not _TITLE_WORD.search(lines[j].folded)):
            break
        parts.append(lines[j].folded)
        top = j
        seen += 1
    return " ".join(reversed(parts)), top


def _attachment_kind(title: str) -> str | None:
    """The first kind of document the title names: "PHỤ LỤC / DANH MỤC …" is an appendix, unless it
    assigns work ("PHỤ LỤC PHÂN CÔNG NHIỆM VỤ")."""
    match = _TITLE_WORD.search(title)
    if match is None:
        return None
    if match.group(1):
        return PLAN if _TITLE_ASSIGNS.search(title) else APPENDIX
    return RULES if match.group(2) else PLAN


def _kind_by_content(lines: list[Snippet], skip: set[int], at: int) -> str:
    seen = 0
    for j in range(at + 1, len(lines)):
        if j in skip or not lines[j].text.strip():
            continue
        if _RULES_OPENING.match(lines[j].folded):
            return RULES
        seen += 1
        if seen == 3:
            break
    return PLAN


def _item_level(label: str, kind: str) -> int:
    if kind == "section":
        return 1
    if kind == "number":
        return 2 + label.count(".")
    if kind == "letter":
        return 6
    return 8  # dash


def build_outline(lines: list[Snippet], skip: set[int], attachments: dict[int, str] | None = None) -> Node:
    root = Node("root", None, 0, Snippet.at("", 0))
    stack: list[Node] = [root]
    attachments = attachments or {}
    table_columns: dict[int, str] | None = None
    gap = False
    last: Node | None = None  # the node the previous text line went to
    open_field: tuple[Node, str] | None = None  # a field line that may wrap onto the next lines

    def push(node: Node) -> None:
        while stack[-1].level >= node.level and len(stack) > 1:
            stack.pop()
        stack[-1].children.append(node)
        stack.append(node)

    previous_ends = True  # the previous text line ended a sentence or a clause
    previous_breaks_off = False  # … or stopped mid-phrase
    for index, line in enumerate(lines):
        if index in skip:
            gap = True
            continue
        text = line.text.strip()
        if index in attachments:
            # an attached document opens its own outline, outside the directive's last article
            attachment = Node("attachment", attachments[index], 0, line.strip())
            root.children.append(attachment)
            del stack[1:]
            stack.append(attachment)
            table_columns = open_field = last = None
            gap = previous_ends = True
            previous_breaks_off = False
            continue
        if not text or _PAGE_NUMBER.match(text) or _is_noise(text):
            # blank lines, page numbers, rules ("-------") and scanner debris ("|", "¬")
            gap = True
            continue
        stripped = line.strip()
        ends_clause = previous_ends
        breaks_off = previous_breaks_off
        previous_ends = _ends_clause(text)
        previous_breaks_off = _breaks_off(text)
        if is_table_row(line.text):
            cells = table_cells(line)
            columns = _table_header(cells)
            if columns is not None:
                table_columns = columns
                continue
            if table_columns is not None:
                row = _table_row(cells, table_columns)
                if row is not None:
                    parent = next((n for n in reversed(stack) if n.kind in (*_CONTAINERS, "item")), root)
                    while stack[-1] is not parent:
                        stack.pop()
                    parent.children.append(row)
                continue
        else:
            table_columns = None
        node = _classify(stripped, ends_clause, breaks_off)
        if node is not None and node.kind == "field":
            owner = next((n for n in reversed(stack) if n.kind == "item"), None)
            if owner is not None:
                key = _field_key(node.label or "")
                owner.fields[key] = node.head
                open_field = (owner, key)
                last = owner
                gap = False
                continue
            node = Node("dash", None, 8, node.head)
        if node is not None:
            open_field = None
            top = stack[-1]
            if node.kind == "dash" and top.kind in ("para", "dash") and _lead_in_para(stack):
                # dash items under a lead-in paragraph ("… một số nội dung sau:") are its children
                para = next(n for n in reversed(stack) if n.kind == "para")
                while stack[-1] is not para:
                    stack.pop()
                para.children.append(node)
                stack.append(node)
                last = node
                gap = False
                continue
            if node.kind == "dash" and top.kind == "para":
                stack.pop()
            push(node)
            last = node
            gap = False
            continue
        # a line of running text: the rest of a field line, of the current item, or a paragraph
        if open_field is not None and not gap:
            owner, key = open_field
            owner.fields[key] = Snippet.join([owner.fields[key], stripped])
            continue
        open_field = None
        current = stack[-1] if len(stack) > 1 else None
        if current is not None and current.kind in ("section", "attachment"):
            current = None  # an article's text runs on over lines; a section title does not
        if current is not None and last is not None and _continues(current, last, stripped, gap):
            target = last if last.kind != "field" else current
            target.lines.append(stripped)
            gap = False
            continue
        para = Node("para", None, 9, stripped)
        while len(stack) > 1 and stack[-1].kind not in _CONTAINERS:
            stack.pop()
        stack[-1].children.append(para)
        stack.append(para)
        last = para
        gap = False
    return root


# nodes whose paragraphs stay inside them: a paragraph closes items, not the article or section it is in
_CONTAINERS = ("root", "section", "article", "attachment")


_WORDLESS = re.compile(r"[\W_]+")


def _is_noise(text: str) -> bool:
    """A line with no word in it: a rule ("-------", "* * *") or a scanner's debris ("|", "¬> "),
    which must not cut an item in two."""
    return len(text) == 1 or _WORDLESS.fullmatch(text) is not None


def _lead_in_para(stack: list[Node]) -> bool:
    for node in reversed(stack):
        if node.kind == "para":
            return node.text.text.rstrip().endswith(":")
        if node.kind != "dash":
            return False
    return False


def _continues(current: Node, last: Node, line: Snippet, gap: bool) -> bool:
    previous = (last.lines[-1] if last.lines else last.head).text.rstrip()
    starts_lower = line.text[:1].islower()
    if last.kind == "para":
        if gap:  # a page break inside a sentence: "… trước ngày 13 tháng 10 / (page) / năm 2025."
            return starts_lower and not _ends_clause(previous)
        return starts_lower or not _ends_clause(previous)
    if gap:
        # after a blank line, text belongs to an item only as the content under its heading,
        # or as a sentence broken by a page break
        return (current.is_heading and not current.children) or starts_lower
    return starts_lower or not _ends_clause(previous)


def _classify(line: Snippet, ends_clause: bool = True, breaks_off: bool = False) -> Node | None:
    """What a line opens. `breaks_off`: the line before stopped mid-phrase ("… vào tháng 10 và"), so a
    number at this line's start ("11. Để …") goes on with that sentence and opens no item."""
    text = line.text
    folded = line.folded
    match = _FIELD.match(folded)
    if match:
        return Node("field", match.group(1), 9, line.slice(match.end()).strip())
    for pattern in (_ROMAN, _UPPER_SECTION):
        match = pattern.match(text)
        if match and (uppercase_ratio(match.group(2)) > 0.6 or len(match.group(2).split()) <= 10):
            return Node("section", match.group(1), 1, line.slice(match.start(2)))
    match = _ARTICLE.match(folded)
    # "Điều 2." opens an article; "… quy định tại khoản 2 / Điều 5 Nghị định …" is a wrapped reference
    if match and (ends_clause or match.group(2) or not match.group(3)):
        return Node("article", match.group(1), 1, line.slice(match.start(3)))
    match = _DOTTED.match(text) or _NUMBER.match(text)
    if match and not breaks_off:
        label = match.group(1)
        return Node("item", label, _item_level(label, "number"), line.slice(match.start(2)))
    match = _LETTER.match(text)
    if match:
        return Node("item", match.group(1), _item_level(match.group(1), "letter"), line.slice(match.start(2)))
    match = _PAREN_NUMBER.match(text) if ends_clause else None
    if match:
        return Node("item", match.group(1), 7, line.slice(match.start(2)))
    match = _DASH.match(text)
    if match:
        return Node("dash", None, 8, line.slice(match.start(1)))
    return None


def _field_key(label: str) -> str:
    if "chu tri" in label:
        return "lead"
    if "phoi hop" in label:
        return "coordinating"
    if label.startswith(("thoi", "tien do")):
        return "deadline"
    if label.startswith("noi dung"):
        return "content"
    return "other"


def _table_header(cells: list[Snippet]) -> dict[int, str] | None:
    folded = [fold(c.text) for c in cells]
    columns: dict[int, str] = {}
    for i, cell in enumerate(folded):
        if cell in ("stt", "tt", "so tt", "so thu tu"):
            columns[i] = "label"
        elif "chu tri" in cell or cell == "thuc hien" or cell.startswith("don vi thuc hien"):
            columns[i] = "lead"
        elif "phoi hop" in cell:
            columns[i] = "coordinating"
        elif cell.startswith(("thoi gian", "thoi han", "tien do")):
            columns[i] = "deadline"
        elif cell.startswith(("noi dung", "nhiem vu", "ten nhiem vu", "cong viec")):
            columns[i] = "content"
    if "content" in columns.values() and ("lead" in columns.values() or "deadline" in columns.values()):
        return columns
    return None


def _table_row(cells: list[Snippet], columns: dict[int, str]) -> Node | None:
    values = {name: cells[i] for i, name in columns.items() if i < len(cells)}
    content = values.get("content")
    if content is None or not content.text.strip():
        return None
    label = values.get("label")
    label_text = label.text.strip(" .") if label is not None and label.text.strip() else None
    node = Node("row", label_text, 7, content)
    node.cells = {k: v for k, v in values.items() if k != "content"}
    return node


def _section_assigns(section: Node) -> bool:
    title = " ".join(section.head.folded.split())
    return not title.startswith(_NOT_TASK_SECTIONS)


@dataclass(frozen=True, slots=True)
class Context:
    """What the tasks of one document share: its issue date, who issued it, whether it decides."""

    issued_on: date | None
    issuer: str  # folded: "so noi vu tinh dong thap", "" when unknown
    decision: bool = False  # a quyết định: its work is in its articles and attached plans


def extract_tasks(
    lines: list[Snippet],
    skip: set[int],
    *,
    doc_type: str | None,
    issued_on: date | None,
    issuer: str | None = None,
) -> list[Task]:
    if doc_type and fold(doc_type).startswith(_NOT_DIRECTIVES):
        return []
    root = build_outline(lines, skip, find_attachments(lines, skip))
    tasks: list[Task] = []
    context = Context(issued_on, fold(issuer or ""), fold(doc_type or "").startswith("quyet dinh"))
    if context.decision and any(c.kind == "article" for c in root.children):
        # before its first article a quyết định only cites its grounds (OCR may put items there)
        first = next(i for i, c in enumerate(root.children) if c.kind == "article")
        root.children[:first] = [c for c in root.children[:first] if c.kind == "attachment"]
    _collect(root, [], True, tasks, context)
    if not tasks:
        _collect_paragraphs(root, tasks, context)
    return tasks


def _collect(node: Node, inherited: list[Field], assigns: bool, out: list[Task], context: Context) -> None:
    for child in node.children:
        if child.kind == "section":
            _collect(child, [], _section_assigns(child), out, context)
        elif child.kind == "attachment":
            if child.label == PLAN:
                _collect(child, [], True, out, context)
            elif child.label == APPENDIX:
                # an appendix holds figures and lists; only a table of tasks in it assigns work
                out.extend(_row_task(n, [], context) for n in _walk(child) if n.kind == "row")
        elif child.kind == "article":
            # the articles of a quyết định decide; one that is a list of assignments to named bodies
            # ("Điều 2. Tổ chức thực hiện: 1. Bộ Công an chủ trì …") holds tasks
            assignments = _assignments(child)
            if assignments:
                _collect(replace(child, children=assignments), [], True, out, context)
        elif child.kind == "para":
            # "… thực hiện một số nội dung sau:" followed by dash items: each dash is a task
            if assigns and child.children and _is_lead_in(child.text):
                for dash in child.children:
                    if not _is_assessment(dash):
                        out.append(_text_task(dash, None, inherited, context))
            continue
        elif not assigns or (child.kind == "dash" and node.kind in ("root", "attachment")):
            # dash items loose at the top of a letter, under no lead-in, are lists of something else
            # ("Tin liên quan", "Nơi nhận" fragments), not tasks
            continue
        elif child.kind == "row":
            out.append(_row_task(child, inherited, context))
        elif child.fields:
            out.append(_field_task(child, inherited, context))
        elif _is_topic_heading(child):
            continue  # "1. Mục đích, yêu cầu" set as a numbered item: what it lists asks nothing
        elif any(c.kind in ("item", "row") for c in child.children):
            lead = _lead_in_names(child, context) or inherited
            _collect(child, lead, assigns, out, context)
        elif child.children and all(c.kind == "dash" for c in child.children) and _names_only_a_unit(child):
            unit = [_field(n) for n in find_names(child.text)[0]]
            for dash in child.children:
                out.append(_text_task(dash, None, unit, context))
        else:
            if _is_assessment(child):
                continue
            out.append(_text_task(child, child.label, inherited, context))


# the closing articles: "… chịu trách nhiệm thi hành Quyết định này", "Quyết định này có hiệu lực …"
_EXECUTION = re.compile(r"\b(?:chiu trach nhiem thi hanh|co hieu luc|thi hanh quyet dinh nay)\b")
_OPENING_REQUEST = re.compile(r"\s*(?:giao(?:\s+cho)?|yeu cau|de nghi)\s+")
# the title of an article that puts the decision to work: "Tổ chức thực hiện", "Trách nhiệm thi hành",
# or a lead-in that hands out work ("Giao nhiệm vụ cho các cơ quan như sau:")
_PUTS_TO_WORK = re.compile(
    r"\b(?:to chuc (?:thuc hien|trien khai)|trach nhiem (?:thi hanh|thuc hien|cua)|giao nhiem vu|phan cong"
    r"|giao|yeu cau|de nghi)\b"
)
# what a body is or has, in a quyết định that sets it up: "Bộ Y tế là cơ quan thường trực", "… có tư cách"
_DESCRIBES = re.compile(
    r"\s*(?::|la\b|co\s+(?!trach nhiem)|duoc\b|gom\b|thuoc\b|truc thuoc\b|lam viec\b|su dung\b)"
)


def _assignments(article: Node) -> list[Node]:
    """The numbered items of an article, when each of them asks a named body to act (leaving out
    the closing "… chịu trách nhiệm thi hành"); none when any item decides or describes instead,
    or when the article decides in a sentence of its own ("Điều 1. Thành lập Tổ công tác.") that
    its items only spell out."""
    head = article.text.text.rstrip()
    if (_ends_clause(head) and not head.endswith(":")) or not _PUTS_TO_WORK.search(article.text.folded):
        return []
    chosen: list[Node] = []
    for item in article.children:
        if item.kind != "item" or _EXECUTION.search(item.text.folded):
            continue
        if not _names_who_acts(item.text):
            return []
        chosen.append(item)
    return chosen


def _names_who_acts(text: Snippet) -> bool:
    """ "Bộ Công an chủ trì …", "Giao Sở Nội vụ …": the item opens with the body it asks to act."""
    request = _OPENING_REQUEST.match(text.folded)
    if request:
        return bool(find_names(text, request.end(), expected=True)[0])
    start = len(text.text) - len(text.text.lstrip())
    if not starts_with_head(text.text, start, folded=text.folded):
        return False
    names, end = find_names(text, start)
    return bool(names) and not _narrates(text, end) and not _DESCRIBES.match(text.folded, end)


# Topics that head what is not work to do: "1. Mục đích, yêu cầu", "2. Kết quả đạt được", "Thành phần …"
# (the members of a body a quyết định sets up)
_TOPIC = re.compile(
    r"\s*(?:thanh phan|muc dich|yeu cau|muc tieu|quan diem|ket qua|tinh hinh|dac diem|can cu"
    r"|su can thiet|boi canh|pham vi|doi tuong|nguyen tac|thuc trang|uu diem|han che|nguyen nhan|bai hoc"
    r"|chi tieu)\b[\s,:]*"
)


def _is_topic_heading(node: Node) -> bool:
    if node.kind != "item":
        return False
    folded = node.head.folded
    topic = _TOPIC.match(folded)
    if topic is None or len(folded.split()) > 6:
        return False
    # "Yêu cầu các sở, ngành:" is a lead-in naming who acts, not a topic
    return not find_names(node.head, topic.end(), expected=True)[0]


def _collect_paragraphs(root: Node, out: list[Task], context: Context) -> None:
    """Directives quoted by a news portal, or a short công điện, have no numbers: a paragraph that
    asks a named body to act is a task. Once a lead-in announces the instruction ("… có ý kiến chỉ
    đạo như sau:"), what came before it (a headline paraphrasing it, the background) is not."""
    first = len(out)
    announced_at: int | None = None  # how many tasks there were when the lead-in came
    previous: Node | None = None
    for node in _walk(root, leave_out=("article",)):  # what the articles of a quyết định decide
        if node.kind != "para":
            continue
        text = node.text
        stripped = text.text.rstrip()
        before, previous = previous, node
        if stripped.endswith(":"):
            if announced_at is None and _is_lead_in(text):
                announced_at = len(out)
            continue
        refers = _REFERS_BACK.match(text.folded)
        if refers and before is not None and not _ends_clause(before.text.text.rstrip()):
            # "Kiểm tra, xử lý nghiêm …" (a headline) / "Đó là chỉ đạo của UBND tỉnh đối với các sở …"
            addressed = _DOI_VOI_ANYWHERE.search(text.folded, refers.end())
            lead = _names_listed(text, addressed.end()) if addressed else []
            out.append(_text_task(before, None, lead, context, named_first=True))
            continue
        if not _ends_clause(stripped) or _CLOSING.search(text.folded):
            continue  # a headline has no full stop; "… thông báo để các cơ quan biết, thực hiện./."
        subject = _subject(text)
        if subject and _narrates(text, subject[2]) and not _REPORTED_ORDER.match(text.folded, subject[2]):
            continue
        if (_lead(text, context) or _later_subject(text)) and (
            announced_at is not None
            or _STRONG_CUE.search(text.folded)
            or find_deadline(text.text, folded=text.folded).kind != DeadlineKind.NONE
        ):
            out.append(_text_task(node, None, [], context))
    if announced_at is not None and len(out) > announced_at:
        del out[first:announced_at]


_CLOSING = re.compile(r"\bthong bao\b[^.;]{0,80}\bbiet\b")
# "Đó là chỉ đạo của UBND tỉnh …", "Đây là yêu cầu của …": a paragraph naming the headline above it
_REFERS_BACK = re.compile(
    r"\s*(?:do|day|tren day)\s+la\s+(?:noi dung\s+)?(?:(?:y kien\s+)?chi dao|yeu cau|de nghi)\b"
)
_DOI_VOI_ANYWHERE = re.compile(r"\bdoi voi\s+")
# "UBND thành phố đã giao Sở Nội vụ …": a report of an order, not of something done
_REPORTED_ORDER = re.compile(r"\s*(?:da|vua)\s+(?:giao|yeu cau|de nghi|chi dao)\b")


_QUALIFIER = re.compile(r"(?:\s+(?!tai\b|ve\b|theo\b|de\b)[^\s,;.:()]+){0,5}\s*,\s*(?:va\s+)?")


def _names_listed(text: Snippet, start: int) -> list[Field]:
    """The bodies listed from start, across a short qualifier after one of them
    ("các cơ quan Trung ương đóng trên địa bàn, UBND các huyện …")."""
    found: list[Field] = []
    pos = start
    for _ in range(8):
        names, end = find_names(text, pos, expected=True)
        if not names:
            break
        found.extend(_field(n) for n in names)
        more = _QUALIFIER.match(text.folded, end)
        if not more:
            break
        pos = more.end()
    return found


def _walk(node: Node, leave_out: tuple[str, ...] = ()) -> Iterator[Node]:
    """The nodes under node, leaving out attached rules and appendices and the kinds in leave_out."""
    for child in node.children:
        if (child.kind == "attachment" and child.label != PLAN) or child.kind in leave_out:
            continue
        yield child
        yield from _walk(child, leave_out)


_STRONG_CUE = re.compile(r"\b(giao|yeu cau|de nghi|chu tri|chiu trach nhiem)\b")
_LEAD_IN_CUE = re.compile(
    r"\b(sau|yeu cau|de nghi|giao|nhiem vu|noi dung|thuc hien|trien khai|chi dao|y kien|ket luan)\b"
)


def _is_lead_in(text: Snippet) -> bool:
    """ "…, Sở Nội vụ đề nghị các cơ quan thực hiện một số nội dung sau:" """
    stripped = text.text.rstrip()
    return stripped.endswith(":") and bool(_LEAD_IN_CUE.search(fold(stripped[-160:])))


_ACKNOWLEDGES = re.compile(r"\b(ghi nhan|bieu duong|danh gia cao|hoan nghenh|nhan thay|danh gia)\b")
_ASKS = re.compile(
    _any_word(
        "can",
        "phai",
        "yeu cau",
        "de nghi",
        "giao",
        "chu tri",
        "khan truong",
        "tiep tuc",
        "tap trung",
        "chi dao",
    )
    + r"\b"
)


def _is_assessment(node: Node) -> bool:
    """Items that look back rather than ask: "Thời gian qua, …", "Ban Thường vụ ghi nhận … đã …;
    tuy nhiên, … còn chậm"."""
    text = node.text
    folded = " ".join(text.folded.split())
    if folded.startswith(_ASSESSMENT_OPENERS):
        return True
    if _ASKS.search(folded):
        return False
    opening = _subject(text)
    looks_back = bool(opening and _ACKNOWLEDGES.match(text.folded, opening[2] + 1)) or (
        " da " in folded and "tuy nhien" in folded
    )
    # a deadline means it asks after all (checked last: it is the dearest test)
    return looks_back and find_deadline(text.text, folded=text.folded).kind == DeadlineKind.NONE


def _names_only_a_unit(node: Node) -> bool:
    """ "6. Ban Tổ chức Tỉnh ủy" or "Sở Nội vụ:": a heading that names a unit and nothing else."""
    text = node.text.text.strip().rstrip(":").strip()
    names, end = find_names(Snippet.at(text, 0))
    return bool(names) and end >= len(text) - 1


def _lead_in_names(node: Node, context: Context) -> list[Field]:
    """The unit a lead-in item names for its children ("1. Thủ trưởng các sở …:")."""
    text = node.text
    if _names_only_a_unit(node):
        return [_field(n) for n in find_names(text)[0]]
    if text.text.rstrip().endswith(":"):
        return _lead(text, context)
    return []


def _field(name: Snippet) -> Field:
    cleaned = strip_title(name)
    text = correct_ocr_name(" ".join(cleaned.text.split()).strip(" ,;.:"))
    return Field(text[:1].upper() + text[1:], cleaned.span())


_GIAO = re.compile(_any_word("giao") + r"(?:\s+cho)?\s+")
_REQUEST = re.compile(r"\s*[,]?\s*(?:cung\s+|tiep tuc\s+)?(?:yeu cau|de nghi|giao(?:\s+cho)?)\s+")
# who signs or issues directives: a head's title, or a collective leadership
_ISSUING_TITLES = re.compile(
    r"^(?:pho\s+)?(?:chu tich|thu tuong|bo truong|giam doc|bi thu|truong ban|thu truong)\b"
    r"|^(?:ban thuong vu|thuong truc|ban chap hanh|chinh phu|uy ban nhan dan|ubnd)\b"
)
_DOI_VOI = re.compile(r"^\s*doi voi\s+")
_ANYWHERE_REQUEST = re.compile(_any_word("yeu cau", "de nghi") + r"\s+")
# "phối hợp với X", "phối hợp chặt chẽ với X", and "phối hợp X" where a body follows at once
_COORDINATING = re.compile(_any_word("phoi hop") + r"(?:\s+chat che)?\s+(?:(?:voi|cung)\s+)?")
_REPORT = re.compile(_any_word("bao cao", "gui", "trinh") + r"\b")
_PURPOSE = re.compile(r"\bde\s+(?:tong hop|xem xet|theo doi)")
_TOWARDS = re.compile(_any_word("ve", "cho", "len", "den", "toi") + r"\s+")
_VIA = re.compile(r"\s*\(\s*qua\s+")


_COMMA = re.compile(r",\s*")


def _subject(text: Snippet) -> tuple[list[Snippet], int, int] | None:
    """The bodies a sentence opens with, also after a leading phrase set off by commas
    ("Đáng chú ý, kể từ ngày 15/5/2025, các cơ quan, đơn vị …"): the names, where they start and end."""
    folded = text.folded
    starts = [len(text.text) - len(text.text.lstrip())]
    for comma in _COMMA.finditer(folded, 0, 140):
        starts.append(comma.end())
        if len(starts) > 3:
            break
    for start in starts:
        if starts_with_head(text.text, start, folded=folded):
            names, end = find_names(text, start)
            if names:
                return names, start, end
    return None


def _narrates(text: Snippet, end: int) -> bool:
    """ "Sở Nội vụ đã tổ chức hội nghị …": the subject did something; nothing is asked of it."""
    return bool(re.match(r"\s*(?:cung\s+)?(?:da|vua|dang)\s", text.folded[end : end + 16]))


def _lead(text: Snippet, context: Context) -> list[Field]:
    folded = text.folded
    opener = _DOI_VOI.match(folded)
    if opener:
        names, _ = find_names(text, opener.end(), expected=True)
        if names:
            return [_field(n) for n in names]
    start = len(text.text) - len(text.text.lstrip())
    opening = _subject(text) if starts_with_head(text.text, start, folded=folded) else None
    if opening:
        names, _, end = opening
        request = _REQUEST.match(folded, end)
        # "Chủ tịch UBND tỉnh yêu cầu các sở …": the issuer asks, the bodies it asks lead;
        # "Bộ Công an yêu cầu các doanh nghiệp …" in the Prime Minister's directive: the ministry leads
        if request and _is_issuing_side(names[0], context):
            objects, _ = find_names(text, request.end(), expected=True)
            if objects:
                return [_field(n) for n in objects]
        return [_field(n) for n in names]
    for pattern in (_GIAO, _ANYWHERE_REQUEST):
        for match in pattern.finditer(folded):
            if match.start() > 0 and folded[match.start() - 5 : match.start()].endswith("duoc "):
                continue  # "được giao": the subject, found below, is the lead
            names, _ = find_names(text, match.end(), expected=True)
            if names:
                return [_field(n) for n in names]
    return []


def _is_issuing_side(name: Snippet, context: Context) -> bool:
    folded = " ".join(name.folded.split())
    if _ISSUING_TITLES.match(folded) or not context.issuer:
        return True
    issuer = " ".join(context.issuer.split())
    return folded in issuer or issuer in folded


# Phrases that open a sentence before its subject: "Đáng chú ý, kể từ ngày …, các cơ quan …"
_LEADING_PHRASE = re.compile(
    r"\s*(?:dang chu y|tren co so|can cu|de |nham |sau khi|truoc do|theo do|dong thoi|ngoai ra|ke tu|tu ngay"
    r"|trong (?:thoi gian|qua trinh)|qua |ve |rieng |cung voi|ben canh|mat khac|truong hop)"
)


def _later_subject(text: Snippet) -> list[Field]:
    """The bodies named after a leading phrase ("Đáng chú ý, kể từ ngày …, các cơ quan … tạm dừng"),
    when nothing else names who acts; not the partners after "phối hợp với"."""
    if not _LEADING_PHRASE.match(text.folded):
        return []
    later = _subject(text)
    if not later:
        return []
    names, start, end = later
    before = text.folded[:start]
    if _narrates(text, end):
        return []
    if re.search(r"\b(phoi hop|voi|cung|cua|qua)\b", before):
        return []
    return [_field(n) for n in names]


def _coordinating(text: Snippet) -> list[Field]:
    for match in _COORDINATING.finditer(text.folded):
        names, _ = find_names(text, match.end(), expected=True)
        if names:
            return [_field(n) for n in names]
    return []  # "phối hợp tổ chức …": the verb, with no partner named


def _report_to(text: Snippet) -> tuple[list[Field], list[Field]]:
    """Where results go: "báo cáo (kết quả …) về Sở Nội vụ (qua Ban Tổ chức)", "gửi về", "trình"."""
    folded = text.folded
    targets: list[Field] = []
    via: list[Field] = []
    for match in _REPORT.finditer(folded):
        clause_start = max(folded.rfind(";", 0, match.start()), folded.rfind(".", 0, match.start())) + 1
        if _PURPOSE.search(folded, clause_start, match.start()):
            continue  # "… về Bộ Nội vụ để tổng hợp, báo cáo Thủ tướng": what the recipient then does
        clause_end = min(
            [p for p in (folded.find(c, match.end()) for c in ";.(") if p >= 0] + [match.end() + 120]
        )
        starts = [match.end()] + [m.end() for m in _TOWARDS.finditer(folded, match.end(), clause_end)]
        for start in starts:
            names, end = find_names(text, start + len(folded[start:]) - len(folded[start:].lstrip()))
            if not names:
                continue
            for name in names:
                f = Field(" ".join(name.text.split()).strip(" ,;."), name.span())
                if f.value and all(fold(f.value) != fold(t.value) for t in targets):
                    targets.append(f)
            via_match = _VIA.match(folded, end)
            if via_match:
                via.extend(_field(n) for n in find_names(text, via_match.end())[0])
            break
    return targets, via


def _task(
    label: str | None,
    text: Snippet,
    lead: list[Field],
    coordinating: list[Field],
    deadline: Deadline,
    report_source: Snippet | None = None,
) -> Task:
    report_to, via = _report_to(report_source if report_source is not None else text)
    return Task(
        label=label,
        text=" ".join(text.text.split()),
        span=text.span(),
        lead=tuple(lead),
        coordinating=tuple(coordinating),
        report_to=tuple(report_to),
        report_via=tuple(via),
        deadline=deadline,
    )


def _text_task(
    node: Node, label: str | None, inherited: list[Field], context: Context, *, named_first: bool = False
) -> Task:
    """The task an item states; inherited names the lead given by a parent (or, with named_first,
    by the text around it), used when the item names none itself."""
    parts = [node.text]
    for child in node.children:
        if child.kind == "dash":
            parts.append(child.text)
    text = Snippet.join(parts)
    own = [] if named_first and inherited else _lead(text, context)
    lead = own or list(inherited) or _later_subject(text)
    deadline = _shift(find_deadline(text.text, issued_on=context.issued_on, folded=text.folded), text)
    return _task(label, text, lead, _coordinating(text), deadline)


def _field_task(node: Node, inherited: list[Field], context: Context) -> Task:
    content = node.fields.get("content")
    parts = [node.text]
    if content is not None:
        parts.append(Snippet.join([Snippet.at("- Nội dung:", content.origin(0)), content]))
    text = Snippet.join(parts)
    lead = _names_in_cell(node.fields.get("lead")) or _lead(text, context) or list(inherited)
    coordinating = _names_in_cell(node.fields.get("coordinating")) or _coordinating(text)
    when = node.fields.get("deadline")
    deadline = Deadline(DeadlineKind.NONE)
    if when is not None:
        deadline = _shift(parse_deadline(when.text, issued_on=context.issued_on), when)
        if deadline.kind == DeadlineKind.NONE:
            deadline = _shift(find_deadline(when.text, issued_on=context.issued_on, folded=when.folded), when)
    if deadline.kind == DeadlineKind.NONE:
        deadline = _shift(find_deadline(text.text, issued_on=context.issued_on, folded=text.folded), text)
    everything = Snippet.join([text, when]) if when is not None else text
    return _task(node.label, text, lead, coordinating, deadline, report_source=everything)


def _row_task(node: Node, inherited: list[Field], context: Context) -> Task:
    text = node.text
    lead_cell = node.cells.get("lead")
    coordinating = _names_in_cell(node.cells.get("coordinating"))
    if lead_cell is not None:
        partners = _COORDINATING.search(lead_cell.folded)
        if partners and not coordinating:
            # "Huyện đoàn …; phối hợp với Công an tỉnh": the partners named in the lead's cell
            coordinating = _names_in_cell(lead_cell.slice(partners.end()))
            lead_cell = lead_cell.slice(0, partners.start())
    lead = _names_in_cell(lead_cell) or _lead(text, context) or list(inherited)
    when = node.cells.get("deadline")
    deadline = Deadline(DeadlineKind.NONE)
    if when is not None and when.text.strip():
        deadline = _shift(parse_deadline(when.text, issued_on=context.issued_on), when)
    if deadline.kind == DeadlineKind.NONE:
        deadline = _shift(find_deadline(text.text, issued_on=context.issued_on, folded=text.folded), text)
    return _task(node.label, text, lead, coordinating, deadline)


def _names_in_cell(cell: Snippet | None) -> list[Field]:
    """A table cell or field line listing bodies: "Sở Nội vụ; Kho bạc Nhà nước tỉnh"."""
    if cell is None or not cell.text.strip():
        return []
    out: list[Field] = []
    pos = 0
    for part in re.split(r"[;\n]", cell.text):
        piece = cell.slice(pos, pos + len(part)).strip(" .,")
        pos += len(part) + 1
        if not piece.text:
            continue
        names, end = find_names(piece)
        if names and end >= len(piece.text) - 2:
            out.extend(_field(n) for n in names)
        else:
            out.append(_field(piece))
    return out


def _shift(deadline: Deadline, source: Snippet) -> Deadline:
    """Map the deadline's span (relative to the text it was found in) back to the document."""
    if deadline.span is None:
        return deadline
    return replace(deadline, span=source.span(deadline.span.start, deadline.span.end))
