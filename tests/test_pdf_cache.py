"""A build and a bundle of the same inputs lay the emergency pack out once (the PDF is cached by
what it is made of), and the cached PDF is the same bytes a fresh layout gives."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from generator.site.emergency import pack as emergency_pack, pdf as emergency_pdf
from generator.cli import main
from tests.conftest import ROOT, TODAY, build_bundle

FIXTURE = ROOT / "tests" / "fixtures" / "site"


def test_bundle_after_build_reuses_the_laid_out_pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    config = tmp_path / "mkdocs.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text().replace("      content: content\n",
                                                                 f"      content: {FIXTURE}\n      cache_dir: {tmp_path / 'cache'}\n")
                      .replace("docs_dir: content/pages", f"docs_dir: {ROOT / 'content/pages'}"))
    laid_out = []
    real = emergency_pdf.pdf_bytes
    monkeypatch.setattr(emergency_pdf, "pdf_bytes", lambda *args: laid_out.append(1) or real(*args))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert main(["build", "--content", str(FIXTURE), "--edition", "continuity", "--site-dir", str(tmp_path / "site"),
                 "--today", TODAY.isoformat(), "--config", str(config)]) == 0
    assert len(laid_out) == 1
    zip_path = build_bundle(FIXTURE, tmp_path / "dist", 1790000000, "--config", str(config))
    assert len(laid_out) == 1  # the bundle took the build's PDF
    built = (tmp_path / "site" / emergency_pack.PDF).read_bytes()
    with zipfile.ZipFile(zip_path) as zf:
        assert zf.read(emergency_pack.PDF) == built
    # A different build time is a different pack: laid out again.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790086400")
    assert main(["build", "--content", str(FIXTURE), "--edition", "continuity", "--site-dir", str(tmp_path / "site"),
                 "--today", TODAY.isoformat(), "--config", str(config)]) == 0
    assert len(laid_out) == 2
