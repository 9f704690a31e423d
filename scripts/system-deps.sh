#!/usr/bin/env bash
# Installs the system packages the test suite needs, when they are missing: Debian's Chromium
# (browser tests; never a downloaded browser), poppler-utils (pdftotext/pdfinfo/pdffonts read
# the printed book) and fonts-lohit-guru (a Gurmukhi font the print tests put in a book's theme
# fonts/ folder), and git (the history tests make repositories with it; wardbook reads them
# in-process). Node.js and npm come with the machine.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v node >/dev/null 2>&1 || missing+=(nodejs npm)
command -v git >/dev/null 2>&1 || missing+=(git)
[ -f /usr/share/fonts/truetype/lohit-punjabi/Lohit-Gurmukhi.ttf ] || missing+=(fonts-lohit-guru)
# scripts/lint-ci.sh installs the workflow linters into a virtualenv.
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing system packages: ${missing[*]} (install them with apt-get as root)" >&2
    exit 1
  fi
  echo "installing ${missing[*]}…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
