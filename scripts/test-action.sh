#!/usr/bin/env bash
# Runs the GitHub Action's install-and-check script and the pre-commit hook locally, against
# the sample book and fixture books, with the slim binary built by the suite
# (`cargo build --no-default-features`). Every way of installing is exercised except the
# download from GitHub itself: `source` (cargo builds the binary), and releases packed with the
# release workflow's own script and read from a local folder (file://), checksum included.
# Prints "N passed, 0 failed" or stops at the first failure.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target_dir=${CARGO_TARGET_DIR:-$root/target}
bin="$target_dir/debug/wardbook"
action="$root/scripts/action-install-and-check.sh"
as_of=2026-11-21
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
ok() {
  echo "ok: $*"
  passed=$((passed + 1))
}

"$bin" --version >/dev/null || fail "no wardbook at $bin: run cargo build --no-default-features"

# Runs the action's script in folder $1 with the environment that follows; stdout, stderr and
# the exit code land in $tmp/out, $tmp/err, $tmp/rc.
run_action() {
  local dir=$1
  shift
  local rc=0
  (cd "$dir" && env -u GITHUB_PATH RUNNER_TEMP="$tmp" "$@" bash "$action") \
    >"$tmp/out" 2>"$tmp/err" || rc=$?
  echo "$rc" >"$tmp/rc"
}

# The same check, straight from the binary, for comparison (its notes on stderr first, as the
# action relays them to stdout, where the runner reads workflow commands).
direct() {
  local dir=$1 book=$2 rc=0
  shift 2
  (cd "$dir" && "$bin" check "$book" --format github --as-of "$as_of" "$@") \
    >"$tmp/direct" 2>&1 || rc=$?
  echo "$rc" >"$tmp/direct-rc"
}

same_as_direct() {
  cmp -s "$tmp/out" "$tmp/direct" || fail "$1: report differs from wardbook's own"
  [ "$(cat "$tmp/rc")" = "$(cat "$tmp/direct-rc")" ] || fail "$1: exit $(cat "$tmp/rc")"
}

# A copy of a book in a repository-like folder: $tmp/$1/$2 holds the book.
book_copy() {
  local repo=$tmp/$1 sub=$2 from=$3
  mkdir -p "$repo/$sub"
  cp -R "$from/." "$repo/$sub/"
}

# --- source: cargo builds the slim binary (dev profile: the suite compiled its dependencies).
direct "$root" .
run_action "$root" INPUT_VERSION=source INPUT_AS_OF="$as_of" WARDBOOK_SOURCE="$root" \
  WARDBOOK_PROFILE=dev CARGO_TARGET_DIR="$target_dir" WARDBOOK_BIN_DIR="$tmp/bin-source"
same_as_direct "source, sample book"
[ "$(grep -c '^::notice title=Printed book not checked::' "$tmp/out")" = 1 ] ||
  fail "source: the slim binary's notice should be said once: $(cat "$tmp/out")"
ok "source mode builds the slim binary and checks the sample book as wardbook does"

# --- releases from a local folder laid out as GitHub's, packed by the release workflow's script.
case "$(uname -s)/$(uname -m)" in
  Linux/x86_64) runner=(RUNNER_OS=Linux RUNNER_ARCH=X64) triple=x86_64-unknown-linux-gnu ;;
  Linux/aarch64) runner=(RUNNER_OS=Linux RUNNER_ARCH=ARM64) triple=aarch64-unknown-linux-gnu ;;
  *) fail "the test knows no runner for $(uname -sm)" ;;
esac
releases="$tmp/releases"
bash "$root/scripts/package-release.sh" "$triple" "$bin" "$releases/latest/download" >/dev/null
mkdir -p "$releases/download/v0.1.0"
cp "$releases/latest/download/"* "$releases/download/v0.1.0/"
tar -tzf "$releases/latest/download/wardbook-$triple.tar.gz" | grep -x wardbook >/dev/null ||
  fail "the release archive has no wardbook at its top"
release=("${runner[@]}" WARDBOOK_RELEASES_URL="file://$releases" INPUT_AS_OF="$as_of")

for version in latest v0.1.0 0.1.0; do
  run_action "$root" "${release[@]}" INPUT_VERSION="$version" WARDBOOK_BIN_DIR="$tmp/bin-$version"
  same_as_direct "release $version"
  [ -x "$tmp/bin-$version/wardbook" ] || fail "release $version: no binary installed"
done
ok "latest, v0.1.0 and 0.1.0 install the packed release (checksum verified) and check"

# --- a tampered archive is refused before anything runs.
cp -R "$releases" "$tmp/tampered"
echo "0000000000000000000000000000000000000000000000000000000000000000  wardbook-$triple.tar.gz" \
  >"$tmp/tampered/latest/download/wardbook-$triple.tar.gz.sha256"
run_action "$root" "${runner[@]}" WARDBOOK_RELEASES_URL="file://$tmp/tampered" \
  INPUT_VERSION=latest WARDBOOK_BIN_DIR="$tmp/bin-tampered"
[ "$(cat "$tmp/rc")" = 2 ] || fail "tampered: exit $(cat "$tmp/rc")"
{ [ "$(wc -l <"$tmp/out")" = 1 ] &&
  grep -q '^::error title=wardbook action::checksum mismatch' "$tmp/out"; } || fail "tampered: $(cat "$tmp/out")"
[ ! -e "$tmp/bin-tampered/wardbook" ] || fail "tampered: the binary was unpacked"
ok "a checksum mismatch stops the action (exit 2) before the binary is unpacked"

# --- a missing release is a clear error.
run_action "$root" "${runner[@]}" WARDBOOK_RELEASES_URL="file://$releases" INPUT_VERSION=v9.9.9 \
  WARDBOOK_BIN_DIR="$tmp/bin-missing"
{ [ "$(cat "$tmp/rc")" = 2 ] && grep -q '^::error title=wardbook action::cannot download' "$tmp/out"; } ||
  fail "missing release"
ok "a release that does not exist: exit 2, 'cannot download'"

# --- a book in a subfolder: annotations name files from the repository root.
book_copy repo handbook "$root/tests/fixtures/errors"
direct "$tmp/repo/handbook" .
run_action "$tmp/repo" "${release[@]}" INPUT_BOOK=handbook/ WARDBOOK_BIN_DIR="$tmp/bin-sub"
[ "$(cat "$tmp/rc")" = 1 ] || fail "subfolder: exit $(cat "$tmp/rc") $(cat "$tmp/err")"
sed -E 's/^::(error|warning|notice) file=/&handbook\//' "$tmp/direct" >"$tmp/direct-prefixed"
cmp -s "$tmp/out" "$tmp/direct-prefixed" || fail "subfolder: $(diff "$tmp/out" "$tmp/direct-prefixed")"
grep -q '^::error file=handbook/' "$tmp/out" || fail "subfolder: no error annotation"
ok "a book in handbook/: exit 1, every annotation's file starts handbook/"

# --- deny-warnings: a book with warnings only passes, and fails when warnings are denied.
book_copy warn . "$root/tests/fixtures/lint-cc-for-ml"
run_action "$tmp/warn" "${release[@]}" INPUT_VERSION=latest WARDBOOK_BIN_DIR="$tmp/bin-warn"
{ [ "$(cat "$tmp/rc")" = 0 ] && grep -q '^::warning ' "$tmp/out"; } || fail "warnings: $(cat "$tmp/rc")"
run_action "$tmp/warn" "${release[@]}" INPUT_VERSION=latest INPUT_DENY_WARNINGS=true \
  WARDBOOK_BIN_DIR="$tmp/bin-warn"
[ "$(cat "$tmp/rc")" = 1 ] || fail "deny-warnings: exit $(cat "$tmp/rc")"
ok "warnings pass, and fail with deny-warnings: true"

# --- bad inputs are refused with an annotation.
for bad in "INPUT_DENY_WARNINGS=yes" "INPUT_VERSION=banana" "INPUT_VERSION=v1.2"; do
  run_action "$root" "${release[@]}" "$bad" WARDBOOK_BIN_DIR="$tmp/bin-bad"
  { [ "$(cat "$tmp/rc")" = 2 ] && grep -q '^::error title=wardbook action::' "$tmp/out"; } ||
    fail "$bad: exit $(cat "$tmp/rc")"
done
ok "bad inputs: exit 2 with an error annotation"

# --- the pre-commit hook (the installed-wardbook one), through pre-commit itself.
venv=${WARDBOOK_LINT_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/wardbook/lint-venv}
export PRE_COMMIT_HOME="$tmp/pre-commit-home" GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.org
export GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.org
hook() { # folder: runs wardbook-check-system on every file of the git repository in it
  local rc=0
  (cd "$1" && git init -q . && git add -A &&
    PATH="$(dirname "$bin"):$PATH" "$venv/bin/pre-commit" try-repo "$root" wardbook-check-system \
      --all-files) >"$tmp/out" 2>&1 || rc=$?
  echo "$rc" >"$tmp/rc"
}
book_copy hook-clean . "$root/tests/fixtures/lint-clean"
hook "$tmp/hook-clean"
{ [ "$(cat "$tmp/rc")" = 0 ] && grep -q 'wardbook check (installed wardbook).*Passed' "$tmp/out"; } ||
  fail "hook on a clean book: $(cat "$tmp/out")"
book_copy hook-errors . "$root/tests/fixtures/errors"
hook "$tmp/hook-errors"
{ [ "$(cat "$tmp/rc")" = 1 ] && grep -q 'Failed' "$tmp/out" && grep -q 'error\[' "$tmp/out"; } ||
  fail "hook on a broken book: $(cat "$tmp/out")"
ok "pre-commit hook wardbook-check-system passes a clean book and blocks a broken one"

echo "action: $passed passed, 0 failed"
