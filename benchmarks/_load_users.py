"""The people of a province's reporting week, for locust (`benchmarks/load.py` runs it in a child process,
so that gevent never patches the benchmark's own process).

Each simulated person works with an account of the JSON file given by `--accounts` (written by
benchmarks/load.py), signed in already with the session cookies `--sessions` gives for it: benchmarks/load.py
logs every account in once before the load, as people do when their working day begins. The person then
works through the pages as a browser would, with the real forms and their CSRF
token, pausing between pages for the time given by `--think`:

- a body's reporter opens the inbox, an assignment, writes a progress report with an attached file (a small
  .pdf or .docx, in turn) and sends the form; the body's leader opens the inbox, the assignment whose last
  report is a draft, and approves it (which sends it to the monitors);
- a monitor goes round the overall dashboard, the overdue list, a directive's task × body grid and its
  follow-up by period; a reader round the directive list, a directive's grid, a search and the dashboard.

Every request must answer exactly what a browser expects (a page 200, a form sent 302): anything else is a
failure with its reason. `--samples` writes one line per request (time, simulated users at that moment,
name, milliseconds, failure), from which benchmarks/load.py computes the figures of each load step.
`--behind-https` stands in for the HTTPS reverse proxy of the production settings: X-Forwarded-Proto and
X-Forwarded-For on every request, the secure cookies sent back, an https Referer on the forms.
"""

from __future__ import annotations

import io
import itertools
import json
import random
import re
import time
import zipfile
from collections.abc import Iterator
from typing import Any, ClassVar, TextIO

from locust import HttpUser, events, task
from locust.env import Environment

# the names the requests are counted under, one per kind of request
INBOX, ASSIGNMENT = "inbox", "assignment page"
DRAFT_REPORT, APPROVE_REPORT = "draft report with a file", "approve and send report"
DASHBOARD, OVERDUE, GRID, FOLLOWUP = "dashboard", "overdue list", "directive grid", "follow-up by period"
DIRECTIVE_LIST, SEARCH = "directive list", "search"
KINDS = (
    INBOX,
    ASSIGNMENT,
    DRAFT_REPORT,
    APPROVE_REPORT,
    DASHBOARD,
    OVERDUE,
    GRID,
    FOLLOWUP,
    DIRECTIVE_LIST,
    SEARCH,
)

_ROW = re.compile(r'<tr id="assignment-(\d+)">(.*?)</tr>', re.DOTALL)
_APPROVE = re.compile(r'action="/directives/reports/(\d+)/approve/"')
PROGRESS_TEXTS = (
    "Đã tổ chức quán triệt đến toàn thể cán bộ, đảng viên; đang xây dựng kế hoạch chi tiết.",
    "Đã rà soát chức năng, nhiệm vụ của các phòng, ban; dự thảo đề án đang lấy ý kiến.",
    "Hoàn thành 60% khối lượng công việc; báo cáo kết quả cụ thể gửi kèm.",
)


def _pdf() -> bytes:
    """A one-page PDF with a line of text, as small as a scanned note is not."""
    stream = b"BT /F1 12 Tf 72 720 Td (Bao cao tien do) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(b"%PDF-1.4\n"), []
    out.seek(0, io.SEEK_END)
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table))
    return out.getvalue()


def _docx() -> bytes:
    """A Word file of one paragraph: the parts a .docx needs and nothing else."""
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="rId1" Type="{relationships}/officeDocument" '
            'Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{word}"><w:body><w:p><w:r>'
            "<w:t>Báo cáo kết quả thực hiện nhiệm vụ</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode())
    return out.getvalue()


ATTACHMENTS = (
    ("bao-cao-tien-do.pdf", _pdf(), "application/pdf"),
    (
        "bao-cao-tien-do.docx",
        _docx(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
)


class _Accounts:
    """The accounts of the --accounts file, handed out in turn: the n-th reporter and the n-th leader work
    for the same body."""

    reporters: ClassVar[Iterator[str]] = iter(())
    leaders: ClassVar[Iterator[str]] = iter(())
    monitors: ClassVar[Iterator[str]] = iter(())
    readers: ClassVar[Iterator[str]] = iter(())
    directives: ClassVar[list[int]] = []
    sessions: ClassVar[dict[str, dict[str, str]]] = {}  # username → the cookies of its session
    samples: ClassVar[TextIO | None] = None


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--accounts", default="", help="the JSON file of accounts benchmarks/load.py writes")
    parser.add_argument("--think", default="3,9", help="seconds between two pages: MIN,MAX")
    parser.add_argument("--sessions", default="", help="the JSON file of each account's session cookies")
    parser.add_argument("--samples", default="", help="write every request here (tab-separated)")
    parser.add_argument("--one-of-each", action="store_true", help="exactly one person of each kind")
    parser.add_argument("--behind-https", action="store_true", help="as if behind the HTTPS reverse proxy")


@events.init.add_listener
def _prepare(environment: Environment, **_kwargs: Any) -> None:
    options = environment.parsed_options
    if options is None or not options.accounts:
        return
    with open(options.accounts, encoding="utf-8") as file:
        accounts = json.load(file)
    _Accounts.reporters = itertools.cycle(body["reporter"] for body in accounts["bodies"])
    _Accounts.leaders = itertools.cycle(body["leader"] for body in accounts["bodies"])
    _Accounts.monitors = itertools.cycle(accounts["monitors"])
    _Accounts.readers = itertools.cycle(accounts["readers"])
    _Accounts.directives = accounts["directives"]
    with open(options.sessions, encoding="utf-8") as file:
        _Accounts.sessions = json.load(file)
    if options.samples:
        _Accounts.samples = open(options.samples, "w", encoding="utf-8")  # noqa: SIM115 (closed at quitting)
    if options.one_of_each:
        for person in (Reporter, Leader, Monitor, Reader):
            person.fixed_count = 1


@events.request.add_listener
def _record(
    name: str, response_time: float, exception: BaseException | None, context: dict[str, Any], **_kw: Any
) -> None:
    if _Accounts.samples is not None:
        failure = " ".join(str(exception).split())[:300] if exception else ""
        users = context.get("users", 0)
        _Accounts.samples.write(f"{time.time():.3f}\t{users}\t{name}\t{response_time:.2f}\t{failure}\n")


@events.quitting.add_listener
def _close(**_kwargs: Any) -> None:
    if _Accounts.samples is not None:
        _Accounts.samples.close()


class Person(HttpUser):
    abstract = True
    username = ""

    def wait_time(self) -> float:
        options = self.environment.parsed_options
        low, high = (float(part) for part in (options.think if options else "3,9").split(","))
        return random.uniform(low, high)

    def context(self) -> dict[str, Any]:
        # the users running when the request is made: which load step a sample belongs to
        runner = self.environment.runner
        return {"users": runner.user_count if runner else 0}

    def on_start(self) -> None:
        options = self.environment.parsed_options
        self.behind_https = bool(options and options.behind_https)
        if self.behind_https:
            self.client.headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"})
        # as the server set them, so that the cookies it sends later replace these
        host = (self.host or "").split("://", 1)[-1].split(":", 1)[0]
        for name, value in _Accounts.sessions[self.username].items():
            self.client.cookies.set(name, value, domain=host, path="/")

    def page(self, path: str, name: str) -> str:
        """A page the person may open: it must answer 200 (a redirect would be to the log-in page)."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code} instead of the page")
        self.keep_secure_cookies()
        return response.text

    def post(self, path: str, name: str, fields: dict[str, str], files: Any = None) -> bool:
        """A form sent as the browser sends it; done when it redirects (a 200 or 400 is the form again)."""
        scheme = "https" if self.behind_https else "http"
        host = (self.host or "").split("://", 1)[-1]
        with self.client.post(
            path,
            data={**fields, "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")},
            files=files,
            headers={"Referer": f"{scheme}://{host}{path}"},
            name=name,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            done = response.status_code == 302
            if not done:
                alert = re.search(r'(?:role="alert"|<title)>([^<]+)<', response.text)
                reason = " ".join(alert.group(1).split()) if alert else response.text[:120]
                response.failure(f"{name}: {response.status_code} instead of a redirect; {reason}")
        self.keep_secure_cookies()
        return done

    def keep_secure_cookies(self) -> None:
        """Behind the proxy, the browser sends the secure cookies back over its HTTPS; the loopback here is
        plain HTTP, over which requests would keep them back."""
        if self.behind_https:
            for cookie in self.client.cookies:
                cookie.secure = False


class Reporter(Person):
    """A body's reporter: writes a progress report on one of the body's assignments, with a file."""

    weight = 43

    def on_start(self) -> None:
        self.username = next(_Accounts.reporters)
        self.files = itertools.cycle(ATTACHMENTS)
        super().on_start()

    @task
    def report_progress(self) -> None:
        assignments = [pk for pk, _row in _ROW.findall(self.page("/directives/assignments/", INBOX))]
        if not assignments:
            return
        chosen = random.choice(assignments)
        path = f"/directives/assignments/{chosen}/"
        self.page(path, ASSIGNMENT)
        self.wait()  # writing the report
        name, content, content_type = next(self.files)
        fields = {"text": random.choice(PROGRESS_TEXTS), "percent": str(random.randrange(10, 95, 5))}
        if self.post(
            f"{path}reports/", DRAFT_REPORT, fields, files={"attachments": (name, content, content_type)}
        ):
            self.page(path, ASSIGNMENT)


class Leader(Person):
    """A body's leader: approves the body's draft reports, which sends them to the monitors."""

    weight = 42

    def on_start(self) -> None:
        self.username = next(_Accounts.leaders)
        super().on_start()

    @task
    def approve_drafts(self) -> None:
        rows = _ROW.findall(self.page("/directives/assignments/", INBOX))
        drafts = [pk for pk, row in rows if "report-draft" in row]
        if not rows:
            return
        chosen = random.choice(drafts or [pk for pk, _row in rows])
        path = f"/directives/assignments/{chosen}/"
        reports = _APPROVE.findall(self.page(path, ASSIGNMENT))
        if not reports:
            return
        self.wait()  # reading the draft
        if self.post(f"/directives/reports/{reports[0]}/approve/", APPROVE_REPORT, {}):
            self.page(path, ASSIGNMENT)


class Monitor(Person):
    """A monitor of the Organization Commission, going round the follow-up pages."""

    weight = 10

    def on_start(self) -> None:
        self.username = next(_Accounts.monitors)
        super().on_start()

    @task
    def follow_up(self) -> None:
        directive = random.choice(_Accounts.directives)
        self.page("/followup/dashboard/", DASHBOARD)
        self.wait()
        self.page("/directives/assignments/?status=overdue", OVERDUE)
        self.wait()
        self.page(f"/directives/{directive}/", GRID)
        self.wait()
        self.page(f"/followup/directives/{directive}/", FOLLOWUP)


class Reader(Person):
    """A reader of the Standing Board: the directives, one of them, a search and the dashboard."""

    weight = 5

    def on_start(self) -> None:
        self.username = next(_Accounts.readers)
        super().on_start()

    @task
    def read(self) -> None:
        self.page("/directives/", DIRECTIVE_LIST)
        self.wait()
        self.page(f"/directives/{random.choice(_Accounts.directives)}/", GRID)
        self.wait()
        self.page("/directives/search/?q=t%E1%BB%95+ch%E1%BB%A9c", SEARCH)
        self.wait()
        self.page("/followup/dashboard/", DASHBOARD)
