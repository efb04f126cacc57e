"""Translation tables: every label the generator writes comes from here.

``generator/data/labels.yaml`` holds one table per language (``en``, ``id``) with UI labels
(``ui.*``), kind names (``kind.*``), section names (``section.*``) and field labels
(``field.*``). English is complete; another language falls back to English for a missing key
(a test lists what is missing).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from .datafiles import load_data

DATA = Path(__file__).resolve().parent.parent / "data"

LANGUAGES = ("en", "id")


@cache
def tables() -> dict[str, dict[str, str]]:
    text = (DATA / "labels.yaml").read_text(encoding="utf-8")
    data = load_data(text)
    return {lang: _flatten(data.get(lang) or {}) for lang in LANGUAGES}


def _flatten(tree: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        full = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, full + "."))
        else:
            out[full] = str(value)
    return out


class Translator:
    """``t("ui.owner")`` -> the label in the site language (English when missing)."""

    def __init__(self, lang: str = "en") -> None:
        self.lang = lang if lang in LANGUAGES else "en"
        self._table = tables()[self.lang]
        self._en = tables()["en"]

    def __call__(self, key: str, **values: object) -> str:
        text = self._table.get(key) or self._en.get(key)
        if text is None:
            # Field labels fall back to the field name made readable; other keys must exist.
            if key.startswith("field."):
                text = key[len("field."):].replace("_", " ").capitalize()
            else:
                raise KeyError(f"no label '{key}' in the translation table")
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        """Whether ``key`` has a label (in this language or in English)."""
        return key in self._table or key in self._en

    def field(self, name: str) -> str:
        return self(f"field.{name}")

    def kind(self, kind: str, plural: bool = False) -> str:
        return self(f"kind.{kind}{'_plural' if plural else ''}")
