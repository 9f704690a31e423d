#!/usr/bin/env bash
# The GitHub Action's work (action.yml calls this with its inputs in the environment): get a
# wardbook binary, then run `wardbook check --format github` on the book so that every problem
# is an annotation on the pull request's lines. The test suite runs it too, in `source` mode.
#
# Inputs (environment; the action maps its inputs here, never into the script's text):
#   INPUT_BOOK            book folder, relative to the repository root (default `.`)
#   INPUT_AS_OF           judge review dates as of YYYY-MM-DD (default: today)
#   INPUT_DENY_WARNINGS   `true` fails the check on warnings too (default `false`)
#   INPUT_VERSION         `latest` (default), a release such as `v0.1.0`, or `source`
#   WARDBOOK_REPO         owner/name to download releases from (the action's own repository)
#   WARDBOOK_RELEASES_URL where releases are (default https://github.com/$WARDBOOK_REPO/releases;
#                         the tests point it at a local folder, file://…, holding
#                         latest/download/ and download/vX.Y.Z/ as GitHub lays them out)
#   WARDBOOK_SOURCE       wardbook's source tree, for `source` (the action's own checkout)
#   WARDBOOK_BIN_DIR      where the binary goes (default: $RUNNER_TEMP/wardbook-bin)
#   WARDBOOK_PROFILE      cargo profile for `source` (default `release`; the tests use `dev`,
#                         whose compiled dependencies they already have)
#   CARGO_TARGET_DIR      cargo's target folder for `source` (the action caches it)
# Exit code: wardbook's (0 clean, 1 problems, 2 could not run); 2 for a bad input or a failed
# download or checksum.
set -euo pipefail

# The runner reads workflow commands (annotations) from stdout.
die() {
  echo "::error title=wardbook action::$*"
  exit 2
}

book=${INPUT_BOOK:-.}
as_of=${INPUT_AS_OF:-}
deny=${INPUT_DENY_WARNINGS:-false}
version=${INPUT_VERSION:-latest}
bin_dir=${WARDBOOK_BIN_DIR:-${RUNNER_TEMP:-${TMPDIR:-/tmp}}/wardbook-bin}

case "$deny" in
  true | false) ;;
  *) die "deny-warnings must be true or false, not '$deny'" ;;
esac

# Sets `target`, the Rust target of the runner: the release assets are named after it.
runner_target() {
  case "${RUNNER_OS:-$(uname -s)}/${RUNNER_ARCH:-$(uname -m)}" in
    Linux/X64 | Linux/x86_64) target=x86_64-unknown-linux-gnu ;;
    Linux/ARM64 | Linux/aarch64) target=aarch64-unknown-linux-gnu ;;
    macOS/ARM64 | Darwin/arm64) target=aarch64-apple-darwin ;;
    macOS/X64 | Darwin/x86_64) target=x86_64-apple-darwin ;;
    Windows/X64) target=x86_64-pc-windows-msvc ;;
    *) die "no wardbook release for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}; use version: source" ;;
  esac
}

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

# Downloads the release asset for this runner and its .sha256, and unpacks the binary into
# $bin_dir only when the archive's SHA-256 is the published one.
install_release() {
  local releases=${WARDBOOK_RELEASES_URL:-}
  local target asset base tmp want got
  if [ -z "$releases" ]; then
    [ -n "${WARDBOOK_REPO:-}" ] || die "WARDBOOK_REPO must name the repository to download from"
    releases="https://github.com/$WARDBOOK_REPO/releases"
  fi
  runner_target
  asset="wardbook-$target.tar.gz"
  if [ "$version" = latest ]; then
    base="$releases/latest/download"
  else
    base="$releases/download/v${version#v}"
  fi
  tmp=$(mktemp -d)
  curl -fsSL --retry 3 -o "$tmp/$asset" "$base/$asset" || die "cannot download $base/$asset"
  curl -fsSL --retry 3 -o "$tmp/$asset.sha256" "$base/$asset.sha256" ||
    die "cannot download $base/$asset.sha256"
  want=$(cut -d' ' -f1 <"$tmp/$asset.sha256")
  got=$(sha256_of "$tmp/$asset")
  [ -n "$want" ] && [ "$want" = "$got" ] ||
    die "checksum mismatch for $asset: published $want, downloaded $got"
  mkdir -p "$bin_dir"
  tar -xzf "$tmp/$asset" -C "$bin_dir"
  rm -rf "$tmp"
}

# Builds the slim binary (no PDF, no serve: what `check` needs) from wardbook's source.
install_source() {
  local src=${WARDBOOK_SOURCE:?WARDBOOK_SOURCE is wardbook\'s source tree}
  local profile=${WARDBOOK_PROFILE:-release} target_dir out
  target_dir=${CARGO_TARGET_DIR:-$src/target}
  command -v cargo >/dev/null 2>&1 || die "version: source needs cargo (Rust) on the runner"
  CARGO_TARGET_DIR=$target_dir cargo build --locked --no-default-features \
    --profile "$profile" --manifest-path "$src/Cargo.toml" >&2
  # cargo names the dev profile's folder `debug`.
  out=$profile
  [ "$profile" = dev ] && out=debug
  mkdir -p "$bin_dir"
  cp "$target_dir/$out/wardbook$exe" "$bin_dir/"
}

exe=
[ "${RUNNER_OS:-}" = Windows ] && exe=.exe
case "$version" in
  source) install_source ;;
  latest) install_release ;;
  v[0-9]* | [0-9]*)
    [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] ||
      die "version must be latest, source or a release such as v0.1.0, not '$version'"
    install_release
    ;;
  *) die "version must be latest, source or a release such as v0.1.0, not '$version'" ;;
esac
wardbook="$bin_dir/wardbook$exe"
"$wardbook" --version >&2 || die "the installed wardbook does not run"
# Later steps of the job can call wardbook too.
[ -n "${GITHUB_PATH:-}" ] && echo "$bin_dir" >>"$GITHUB_PATH"

args=(check "$book" --format github)
[ -n "$as_of" ] && args+=(--as-of "$as_of")
[ "$deny" = true ] && args+=(--deny-warnings)

# wardbook names files relative to the book; annotations need them relative to the repository
# root, so a book in a subfolder has its folder put in front (escaped as a property value).
prefix=${book#./}
prefix=${prefix%/}
[ "$prefix" = . ] && prefix=
prefix=${prefix//%/%25}
prefix=${prefix//:/%3A}
prefix=${prefix//,/%2C}

report=$(mktemp)
status=0
# wardbook's notes (a slim binary's "printed book not checked" notice) go to stderr, and the
# runner reads workflow commands from stdout: both go into the report, the notes first.
"$wardbook" "${args[@]}" >"$report" 2>&1 || status=$?
if [ -n "$prefix" ]; then
  # The prefix is data, not a pattern or an escape: awk reads it from the environment.
  PREFIX="$prefix/" awk '{ if (match($0, /^::(error|warning|notice) file=/)) { print substr($0, 1, RLENGTH) ENVIRON["PREFIX"] substr($0, RLENGTH + 1) } else print }' "$report"
else
  cat "$report"
fi
rm -f "$report"
exit "$status"
