"""The build stage: atomic output (reproducibility is proven in test_profiles)."""

from __future__ import annotations

from pathlib import Path

from booklet.build import write_atomically


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.pdf"
    write_atomically(target, b"%PDF-1.7 first")
    write_atomically(target, b"%PDF-1.7 second")
    assert target.read_bytes() == b"%PDF-1.7 second"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]
    assert target.stat().st_mode & 0o777 == 0o644
