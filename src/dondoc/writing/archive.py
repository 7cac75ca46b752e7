"""Office files are zip archives whose entries carry the time they were written: rewritten here with a fixed
time on every entry and a fixed entry order, so that the same content gives the same bytes."""

from __future__ import annotations

import zipfile
from io import BytesIO

# the zip format's own epoch: the earliest time an entry can carry
FIXED_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)
# the content types must come first: some readers look for them there
_FIRST = "[Content_Types].xml"


def reproducible_zip(data: bytes) -> bytes:
    """The same archive, its entries in name order (content types first), each dated FIXED_ENTRY_TIME."""
    with zipfile.ZipFile(BytesIO(data)) as source:
        entries = {info.filename: source.read(info) for info in source.infolist()}
    names = sorted(entries, key=lambda name: (name != _FIRST, name))
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_ENTRY_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # otherwise the platform writing it, which would change the bytes
            info.external_attr = 0
            archive.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
