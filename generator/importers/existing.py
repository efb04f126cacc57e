"""What the content folder already holds, as far as an import needs to know.

Every record id (so imported ids never collide and references can be checked) and every record an
earlier import of the same tool wrote: where it is, the fingerprint stored in it, and the
fingerprint of its values now (they differ when someone edited it by hand). Files are read with the
project's YAML reader and the loader's file rules; nothing is validated here (``check`` does that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..loader import discover, display_path, read_file
from ..models import KINDS
from ..models.imported import hand_fields, import_spec_of
from ..yamldoc import parse
from .yamlout import owned_hash

__all__ = ["Entry", "Existing", "scan_content"]


@dataclass(slots=True)
class Entry:
    """A record an earlier import wrote."""

    file: Path
    index: int | None          # its place in a list file; None when the file holds only it
    record_id: str
    kind: str
    month: str
    stored_hash: str
    current_hash: str
    hand: dict[str, Any]       # the hand-kept fields it has now (kept when the import updates it)

    @property
    def edited(self) -> bool:
        """Edited by hand since it was imported."""
        return self.stored_hash != self.current_hash


@dataclass
class Existing:
    """Ids and imported records of a content folder."""

    ids: dict[str, str] = field(default_factory=dict)          # id -> kind
    id_file: dict[str, int] = field(default_factory=dict)       # id -> index in files
    files: list[Path] = field(default_factory=list)
    imported: dict[tuple[str, str], Entry] = field(default_factory=dict)  # (kind, source id) -> entry
    problems: list[str] = field(default_factory=list)
    unreadable: set[Path] = field(default_factory=set)

    def where(self, record_id: str) -> str:
        """The file a record id is written in, for messages."""
        index = self.id_file.get(record_id)
        return display_path(self.files[index]) if index is not None else "?"


def scan_content(root: Path, system: str) -> Existing:
    """Read every YAML file under ``root``; remember ids, and the records imported from ``system``."""
    out = Existing()
    if not root.exists():
        return out
    files, _ = discover(root)
    for path in files:
        text, problems = read_file(path, display_path(path))
        if text is None:
            continue
        doc = parse(text, positions=False)
        if doc.problems:
            out.unreadable.add(path)
            continue
        out.files.append(path)
        number = len(out.files) - 1
        value = doc.value
        items = [(None, value)] if isinstance(value, dict) else list(enumerate(value)) if isinstance(value, list) else []
        for index, data in items:
            if not isinstance(data, dict):
                continue
            record_id, kind = data.get("id"), data.get("kind")
            if isinstance(record_id, str):
                out.ids.setdefault(record_id, str(kind))
                out.id_file.setdefault(record_id, number)
            origin = data.get("imported_from")
            if not (isinstance(origin, dict) and origin.get("system") == system and kind in KINDS
                    and isinstance(record_id, str)):
                continue
            key = (str(kind), str(origin.get("id")))
            spec = import_spec_of(KINDS[kind])
            hand_names = hand_fields(KINDS[kind])
            month_field = spec.month_field if spec else ""
            entry = Entry(path, index, record_id, str(kind), str(data.get(month_field, ""))[:7],
                          str(origin.get("hash", "")), owned_hash(str(kind), data),
                          {k: v for k, v in data.items() if k in hand_names})
            if key in out.imported:
                other = out.imported[key]
                out.problems.append(f"{display_path(path)}: {record_id}: imported from {system} '{key[1]}' like "
                                    f"{other.record_id} in {display_path(other.file)}: keep one of them")
                continue
            out.imported[key] = entry
    return out
