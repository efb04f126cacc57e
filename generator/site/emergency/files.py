"""The emergency pack's files in the site: the PDF (laid out once per content, kept between builds)
and the vCard.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ...content.i18n import Translator
from .pack import PDF, Pack, VCF
from .pdf import cached_pdf_bytes
from .vcard import vcard

__all__ = ["files"]


def files(pack: Pack, t: Translator, site_title: str, built: dt.datetime,
          pdf_cache: Path | None = None, changed: dt.datetime | None = None) -> dict[str, bytes]:
    """The pack's non-markdown outputs: site path -> bytes."""
    return {
        PDF: cached_pdf_bytes(pack, t, site_title, built, pdf_cache, changed),
        VCF: vcard(pack).encode("utf-8"),
    }
