"""State shared by one build between the CLI, the mkdocs hook and the macros.

mkdocs loads the hook and the macros module itself, so they meet here. ``checked_for`` reuses
the check the CLI already ran for the same content and date, so a build loads content once.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .pipeline import Checked, check_content


@dataclass
class BuildState:
    key: tuple[str, str] | None = None
    checked: Checked | None = None
    site: Any = None
    index: Any = None
    edition: Any = None
    # Hashes of the theme's own inline scripts (generator/csp.py), set once the theme is loaded.
    script_hashes: frozenset[str] = frozenset()


current = BuildState()


def today_from_env() -> dt.date:
    text = os.environ.get("CLAUSE8_TODAY")
    return dt.date.fromisoformat(text) if text else dt.date.today()


def remember(content: Path, today: dt.date, checked: Checked) -> None:
    current.key = (str(content.resolve()), today.isoformat())
    current.checked = checked


def checked_for(content: Path, today: dt.date) -> Checked:
    key = (str(content.resolve()), today.isoformat())
    if current.key == key and current.checked is not None:
        # Handed over by the CLI for this one build; `mkdocs serve` rebuilds read content anew.
        checked = current.checked
        current.key, current.checked = None, None
        return checked
    return check_content(content, today)
