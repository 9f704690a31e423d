#!/usr/bin/env bash
# Installs the outside checkers of the printed book into a virtualenv of their own and prints its
# folder: page-validation (PDF/UA-1 and PDF/A-2a profiles) and pdfua (PDF/UA-1), which
# scripts/pdf-check.py runs, and zxing-cpp, which reads the QR codes back from rendered pages.
# Pinned PyPI packages; the test suite finds the virtualenv through WARDBOOK_PDF_VENV.
set -euo pipefail

pins=(page-validation==0.11.0 pdfua==0.1.3 zxing-cpp==3.1.1 pillow==13.0.0)
venv=${WARDBOOK_PDF_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/wardbook/pdf-venv}
if [ "$(cat "$venv/pins" 2>/dev/null)" != "${pins[*]}" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "${pins[@]}" >&2
  echo "${pins[*]}" >"$venv/pins"
fi
echo "$venv"
