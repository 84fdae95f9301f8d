"""Held-out texts for `booklet import` (tests/import_cases/heldout/): shapes written before the
importer was tuned on them, kept to measure it, not to fit it. Not part of the suite (a held-out
text that fails is a finding to report, not a broken build):

    .venv/bin/python -m tests.import_heldout
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

from booklet.corpus.importer import decode, propose
from booklet.corpus.model import PartialDate
from booklet.problems import BookletError

FOLDER = Path(__file__).parent / "import_cases" / "heldout"


def outcome(name: str, case: dict) -> str:
    source = FOLDER / f"{name}.txt"
    try:
        text, codec = decode(source.read_bytes(), source)
        proposal = propose(text, name, PartialDate(1990, 1, 20), codec)
    except BookletError as error:
        return "refused as expected" if case.get("refused") else f"WRONGLY REFUSED: {error}"
    if case.get("refused"):
        return "NOT REFUSED"
    expected = (FOLDER / f"{name}.expected.md").read_text(encoding="utf-8")
    text_ok, date_ok = proposal.markdown == expected, str(proposal.date) == str(case["date"])
    flags = len(proposal.confirm)
    verdict = "exact" if text_ok and date_ok else "text " + ("exact" if text_ok else "DIFFERS") + \
        ", date " + ("right" if date_ok else f"WRONG ({proposal.date} for {case['date']})")
    return f"{verdict}; {flags} flag(s) for the editor"


def main() -> int:
    cases = yaml.safe_load((FOLDER / "cases.yaml").read_text(encoding="utf-8"))
    for name in sorted(cases):
        print(f"{name}: {outcome(name, cases[name])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
