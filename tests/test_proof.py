"""Proof sheet: one PNG holding every page, built through the CLI."""

from __future__ import annotations

import io

from click.testing import CliRunner
from PIL import Image

from booklet.build import Project
from booklet.cli import main
from booklet.press.proof import COLUMNS, GAP, THUMB_WIDTH


def test_proof_shows_every_page_of_the_edition(small_project: Project) -> None:
    result = CliRunner().invoke(
        main,
        [
            "proof",
            "--project",
            str(small_project.root),
            "--corpus",
            str(small_project.corpus),
            "--out",
            str(small_project.out),
            "--edition",
            "en",
            "--profile",
            "screen",
        ],
    )
    assert result.exit_code == 0, result.output
    sheet = small_project.out / "booklet-en-screen-proof.png"
    image = Image.open(io.BytesIO(sheet.read_bytes()))
    pages = int(result.output.split("(")[1].split()[0])
    rows = -(-pages // COLUMNS)
    assert image.width == COLUMNS * (THUMB_WIDTH + GAP) + GAP
    thumb_height = round(THUMB_WIDTH * 210 / 148)
    assert abs(image.height - (rows * (thumb_height + GAP) + GAP + 4)) <= rows
    # the first thumbnail is the dark cover; the gap left of it is the sheet's background
    assert sum(image.getpixel((GAP + THUMB_WIDTH // 2, GAP + thumb_height // 2))) < 150
    assert image.getpixel((GAP // 2, GAP + 10)) == (214, 211, 206)
