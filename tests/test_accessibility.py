"""PDF/UA: the screen files pass an independent checker (pdfua, from PyPI: 12 checks covering 16 of
the 106 machine-checkable PDF/UA-1 rules), and every table header cell says what it heads."""

from __future__ import annotations

import pdfua
import pytest
from pypdf.generic import DictionaryObject

from tests.conftest import BuiltPdf


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_independent_pdf_ua_checker_finds_nothing(built: dict[str, BuiltPdf], language: str) -> None:
    report = pdfua.validate(str(built[language].path))
    assert [(f.rule_id, f.severity.name, f.message) for f in report.findings] == []
    evaluated = {outcome.rule_id for outcome in report.outcomes if outcome.skipped_reason is None}
    # The rules that must have run (UA-14-001, empty headings, fails inside pdfua 0.1.3 on
    # WeasyPrint's structure tree and is reported as skipped; see the README).
    assert {"UA-01-005", "UA-01-002", "UA-01-003", "UA-06-001", "UA-07-001", "UA-07-002", "UA-13-004",
            "UA-15-003", "UA-18-001", "UA-18-005", "UA-28-004"} <= evaluated


def structure_elements(node: object) -> list[DictionaryObject]:
    found: list[DictionaryObject] = []
    stack = [node]
    while stack:
        item = stack.pop()
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, DictionaryObject):
            if "/S" in item:
                found.append(item)
            kids = item.get("/K")
            stack.extend(kids if isinstance(kids, list) else [kids] if kids is not None else [])
    return found


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_table_header_cell_has_a_scope(built: dict[str, BuiltPdf], language: str) -> None:
    root = built[language].reader.root_object["/StructTreeRoot"]
    headers = [e for e in structure_elements(root) if e["/S"] == "/TH"]
    assert len(headers) >= 5, "the chronology's dates are row headers"
    assert {str(header["/A"].get_object().get("/Scope")) for header in headers} == {"/Row"}
