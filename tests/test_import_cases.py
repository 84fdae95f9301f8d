"""`booklet import` on texts in shapes the seeds do not have (tests/import_cases/): each imports to
its expected statement text and date exactly, and every proposal is proven by the edit checker."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from booklet.corpus.importer import decode, propose
from booklet.corpus.model import Edit, PartialDate
from booklet.corpus.provenance import applied, read_source
from booklet.problems import BookletError

CASES = Path(__file__).parent / "import_cases"
MANIFEST = yaml.safe_load((CASES / "cases.yaml").read_text(encoding="utf-8"))
COMMEMORATED = PartialDate(1990, 1, 20)


def imported(name: str):
    source = CASES / f"{name}.txt"
    text, codec = decode(source.read_bytes(), source)
    return source, codec, propose(text, name, COMMEMORATED, codec)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_each_case_imports_exactly(name: str) -> None:
    case = MANIFEST[name]
    if case.get("refused"):
        with pytest.raises(BookletError, match=case["refused"]):
            imported(name)
        return
    source, codec, proposal = imported(name)
    raw = source.read_bytes()
    assert raw.decode(codec or "utf-8").lstrip("\ufeff") == raw.decode(case.get("encoding", "utf-8")).lstrip("\ufeff")
    assert proposal.markdown == (CASES / f"{name}.expected.md").read_text(encoding="utf-8")
    assert str(proposal.date) == str(case["date"])
    assert proposal.language == case["language"]
    # The declared edits, applied to the bytes as kept, give the text: what `booklet check` proves.
    edits: tuple[Edit, ...] = proposal.edits
    assert applied(read_source(source, edits), edits, Path("x.yaml")) == (proposal.markdown, [])
