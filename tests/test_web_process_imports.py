"""A web process loads what serving pages needs and not the libraries of reading, writing and queueing:
pdfplumber, python-docx, openpyxl, Pillow and RQ weigh some 90 MB together, and each of gunicorn's workers
would hold them (issue 16: a worker within 120 MB). They are imported where a file is read or written, or a
Redis worker runs."""

import os
import subprocess
import sys

HEAVY = ("pdfplumber", "pdfminer", "docx", "openpyxl", "PIL", "rq", "redis")

PROBE = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns  # every view module, as a worker loads them on its first request
print(" ".join(name for name in sys.argv[1:] if name in sys.modules))
"""


def test_loading_every_page_imports_none_of_the_heavy_libraries():
    probe = subprocess.run(
        [sys.executable, "-c", PROBE, *HEAVY],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "dondoc.settings.production",
            "DONDOC_SECRET_KEY": "x" * 50,
            "DONDOC_ALLOWED_HOSTS": "dondoc.example",
        },
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == []
