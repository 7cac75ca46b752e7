#!/usr/bin/env bash
# The system packages the tests use, installed only when missing (sudo when not root): make, Python,
# Tesseract with its Vietnamese data, poppler-utils, GNU gettext, Debian's Chromium (the browser tests drive
# /usr/bin/chromium through Playwright; no browser is ever downloaded), LibreOffice Writer and the Liberation
# fonts, and Redis (tests/core/test_redis_tasks.py starts a redis-server of its own). Called by `make test` and
# by .ci/run.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v make >/dev/null || need+=(make)
command -v python3 >/dev/null || need+=(python3 python3-pip)
command -v tesseract >/dev/null || need+=(tesseract-ocr)
# Vietnamese OCR data: asked of tesseract itself, or looked for where Debian puts it
if ! { command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx vie; } \
  && [ -z "$(ls /usr/share/tesseract-ocr/*/tessdata/vie.traineddata 2>/dev/null)" ]; then
  need+=(tesseract-ocr-vie)
fi
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# msgfmt and xgettext: tests/test_i18n.py compiles the catalogue and looks for untranslated strings
{ command -v msgfmt >/dev/null && command -v xgettext >/dev/null; } || need+=(gettext)
# tests/browser: Playwright drives Debian's build, at the path the tests name
[ -x /usr/bin/chromium ] || need+=(chromium)
# tests/writing converts the written .docx to PDF to look at its layout: LibreOffice's Writer, headless, and
# Liberation Serif, metric-compatible with Times New Roman, so that the pages break where Word breaks them
command -v soffice >/dev/null || need+=(libreoffice-writer)
fc-list 2>/dev/null | grep -qi "Liberation Serif" || need+=(fonts-liberation2)
# the task queue on Redis: its tests run Debian's redis-server on a free port, with no persistence
command -v redis-server >/dev/null || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "installing: ${need[*]}" >&2
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
