"""Generated test documents: A5 pages that say only their own number, laid out by WeasyPrint."""

from __future__ import annotations

from pathlib import Path

from booklet.typeset.pdf import LaidOut, lay_out
from tests.conftest import ROOT


def numbered_html(pages: int, extra_css: str = "", body: str = "") -> str:
    sections = "".join(f'<section><p class="n">Page {n}</p></section>' for n in range(1, pages + 1))
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Numbered</title>
<meta name="dcterms.created" content="2026-01-20T00:00:00Z">
<style>@page {{ size: A5; bleed: 3mm; margin: 20mm }}
section + section {{ break-before: page }} body {{ font-family: "Noto Serif" }} {extra_css}</style>
</head><body>{sections}{body}</body></html>"""


def numbered(pages: int, where: Path, extra_css: str = "", body: str = "") -> LaidOut:
    return lay_out(
        numbered_html(pages, extra_css, body), where, (where, ROOT / "fonts"), ROOT / "fonts"
    )
