"""The requirement catalogue: clause 8.3 and 8.7 obligations shipped as data.

``generator/data/requirements.yaml`` holds, per obligation, its id, sub-clause, our own English
paraphrase (never the standard's text), the Indonesian wording of the seed documents, the
evidence it needs and whether it is due at planned intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .datafiles import load_data

DATA = Path(__file__).resolve().parent.parent / "data"


@dataclass(frozen=True)
class Requirement:
    """One obligation of the catalogue."""

    id: str
    subclause: str
    paraphrase_en: str
    seed_id: str
    periodicity: str | None
    evidence: tuple[str, ...]
    obligation: bool = True


@cache
def catalogue() -> dict[str, Requirement]:
    """Requirement id -> requirement, in catalogue order."""
    text = (DATA / "requirements.yaml").read_text(encoding="utf-8")
    data = load_data(text)
    return {
        r["id"]: Requirement(
            id=r["id"],
            subclause=r["subclause"],
            paraphrase_en=r["paraphrase_en"],
            seed_id=r.get("seed_id", ""),
            periodicity=r.get("periodicity"),
            evidence=tuple(r.get("evidence") or ()),
            obligation=r.get("obligation", True),
        )
        for r in data["requirements"]
    }


@cache
def subclauses() -> dict[str, str]:
    """Sub-clause id -> title."""
    text = (DATA / "requirements.yaml").read_text(encoding="utf-8")
    return {s["id"]: s["title"] for s in load_data(text)["subclauses"]}
