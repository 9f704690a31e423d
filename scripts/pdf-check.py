"""Checks PDFs with two outside validators and prints every failure.

    python3 scripts/pdf-check.py [--profiles ua1,2a] FILE.pdf [FILE.pdf ...]

`page-validation` (the `page` module) checks each PDF against each profile (`ua1`: PDF/UA-1,
`2a`: PDF/A-2a); `pdfua` checks the machine-checkable part of PDF/UA-1 and counts findings of
any severity as failures. Exit 0 when there are none, 1 otherwise. Run it with the virtualenv
that scripts/pdf-tools.sh makes (the test suite does).
"""

import argparse
import json
import subprocess
import sys
from pathlib import Path

import page


def page_failures(path, profile):
    report = page.validate_pdf(path, profile=profile)
    failures = [f"page {profile}: {f.rule_id}: {f.message}" for f in report.failures]
    if not report.is_compliant and not failures:
        failures.append(f"page {profile}: not compliant")
    return failures


def pdfua_failures(path):
    exe = Path(sys.executable).with_name("pdfua")
    run = subprocess.run(
        [str(exe), "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode == 0:
        return []
    if run.returncode not in (1, 2, 3):
        return [f"pdfua: exit {run.returncode}: {run.stderr.strip()}"]
    found = []
    for item in findings(json.loads(run.stdout)):
        rule = item.get("rule_id") or item.get("rule") or item.get("id")
        found.append(f"pdfua: {rule}: {item.get('message', item)}")
    return found or [f"pdfua: exit {run.returncode}: {run.stdout.strip()}"]


def findings(report):
    """Every finding in pdfua's JSON, however it nests files and findings."""
    if isinstance(report, list):
        for item in report:
            yield from findings(item)
    elif isinstance(report, dict):
        if "findings" in report:
            yield from findings(report["findings"])
        elif "files" in report:
            yield from findings(report["files"])
        else:
            yield report


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", default="ua1,2a")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    failed = 0
    for path in args.files:
        failures = []
        for profile in filter(None, args.profiles.split(",")):
            failures += page_failures(path, profile)
        failures += pdfua_failures(path)
        for f in failures:
            print(f"{path}: {f}")
        failed += len(failures)
        print(f"{path}: {len(failures)} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
