"""Development, the default of manage.py and wsgi.py (`make run`): SQLite in DATA_DIR unless
DONDOC_DATABASE=postgresql, DEBUG only with DONDOC_DEBUG=1, and a secret key from DONDOC_SECRET_KEY or else
one random key generated once and kept beside the SQLite file."""

import os
import secrets

from dondoc.settings.base import *  # noqa: F403
from dondoc.settings.base import DATA_DIR


def _secret_key() -> str:
    """From the environment when given; otherwise one random key kept beside the SQLite file."""
    if key := os.environ.get("DONDOC_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        # written aside and moved in whole: a process starting at the same moment (make test runs two) never
        # reads half a key
        draft = path.with_name(f"secret_key.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        draft.chmod(0o600)
        os.replace(draft, path)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("DONDOC_DEBUG", "") == "1"
