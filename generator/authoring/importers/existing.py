"""What the content folder already holds, as far as an import needs to know.

Every record id (so imported ids never collide and references can be checked) and every record an
earlier import of the same tool wrote: where it is, the fingerprint stored in it, and the
fingerprint of its values now (they differ when someone edited it by hand). Files are read with the
project's YAML reader and the loader's file rules; nothing is validated here (``check`` does that).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ...content.loader import discover, display_path, read_file
from ...content.models import KINDS
from ...content.models.imported import hand_fields, import_spec_of
from ...content.yamldoc import parse
from .yamlout import field_texts, owned_hash, texts_hash

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
    hand: tuple[tuple[str, str], ...]  # its hand-kept fields as YAML (kept as they are when it is updated)

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
    shared: dict[Any, Any] = field(default_factory=dict, repr=False)  # equal hand-kept texts, kept once

    def where(self, record_id: str) -> str:
        """The file a record id is written in, for messages."""
        index = self.id_file.get(record_id)
        return display_path(self.files[index]) if index is not None else "?"

    def add(self, path: Path, number: int, index: int | None, record_id: Any, kind: Any) -> None:
        if isinstance(record_id, str):
            self.ids.setdefault(record_id, str(kind))
            self.id_file.setdefault(record_id, number)

    def remember(self, key: tuple[str, str], entry: Entry, system: str) -> None:
        other = self.imported.get(key)
        if other is not None:
            self.problems.append(f"{display_path(entry.file)}: {entry.record_id}: imported from {system} '{key[1]}' "
                                 f"like {other.record_id} in {display_path(other.file)}: keep one of them")
            return
        self.imported[key] = entry


def scan_content(root: Path, system: str) -> Existing:
    """Read every YAML file under ``root``; remember ids, and the records imported from ``system``.

    Files the import wrote are read line by line (:func:`_scan_written`): a record's fields are its
    indented blocks, exactly as written, which is what the fingerprint is computed from. Any other
    file, and one of ours that no longer looks as the import writes it, is read as YAML.
    """
    out = Existing()
    if not root.exists():
        return out
    files, _ = discover(root)
    for path in files:
        text, problems = read_file(path, display_path(path))
        if text is None:
            continue
        out.files.append(path)
        number = len(out.files) - 1
        if _scan_written(text, path, number, system, out):
            continue
        doc = parse(text, positions=False)
        if doc.problems:
            continue  # check reports it; an import that has to change this file stops there
        value = doc.value
        items = [(None, value)] if isinstance(value, dict) else list(enumerate(value)) if isinstance(value, list) else []
        for index, data in items:
            if not isinstance(data, dict):
                continue
            record_id, kind = data.get("id"), data.get("kind")
            out.add(path, number, index, record_id, kind)
            origin = data.get("imported_from")
            if not (isinstance(origin, dict) and origin.get("system") == system and kind in KINDS
                    and isinstance(record_id, str)):
                continue
            model = KINDS[kind]
            spec = import_spec_of(model)
            hand_names = hand_fields(model)
            month = str(data.get(spec.month_field, ""))[:7] if spec else ""
            hand = tuple(field_texts({k: v for k, v in data.items() if k in hand_names}))
            out.remember((str(kind), str(origin.get("id"))), Entry(
                path, index, record_id, str(kind), month, str(origin.get("hash", "")), owned_hash(str(kind), data),
                hand), system)
    return out


WRITTEN = "# Written by `clause8 import`"


def _plain(text: str) -> str | None:
    """A scalar as the import writes it: plain, or in double quotes (JSON escapes); None otherwise."""
    if text.startswith('"'):
        try:
            value = json.loads(text)
        except ValueError:
            return None
        return value if isinstance(value, str) else None
    if text.startswith(("'", "&", "*", "!", "|", ">", "[", "{")):
        return None
    return text


def _scan_written(text: str, path: Path, number: int, system: str, out: Existing) -> bool:
    """Read a file the import wrote, without a YAML parser; False if it does not look like one."""
    lines = text.split("\n")
    if len(lines) < 2 or not lines[1].startswith(WRITTEN):
        return False
    found: list[tuple[int, str, str, tuple[str, str] | None, str, str, tuple[tuple[str, str], ...]]] = []
    blocks: list[list[str]] = []
    index = -1
    blank = False
    for line in lines:
        if not line:
            blank = True
            continue
        first = line[0]
        if first == " ":
            if line[1:2] != " ":
                return False  # a shape the import does not write: read the file as YAML instead
            third = line[2:3]
            if third == " ":
                if blank or not blocks:
                    return False  # a blank line inside a value (a block scalar written by hand)
                blocks[-1].append(line)
            elif third in ("#", "-", ""):
                if not blocks:
                    return False
                blocks[-1].append(line)
            elif index >= 0:
                blocks.append([line])
            else:
                return False
        elif first == "-" and line[1:2] == " ":
            if blocks and _record(blocks, index, system, found, out.shared) is False:
                return False
            index += 1
            blocks = [["  " + line[2:]]]
        elif first != "#":
            return False
        blank = False
    if blocks and _record(blocks, index, system, found, out.shared) is False:
        return False
    for index, record_id, kind, key, month, stored, hand, current in found:  # type: ignore[misc]
        out.add(path, number, index, record_id, kind)
        if key is not None:
            out.remember(key, Entry(path, index, record_id, kind, month, stored, current, hand), system)
    return True


def _record(blocks: list[list[str]], index: int, system: str, found: list[Any],
            shared: dict[Any, Any]) -> bool | None:
    """One record's blocks (a field each, as written) into ``found``; False if they are not as written."""
    fields: dict[str, str] = {}
    for block in blocks:
        head = block[0]
        colon = head.find(":")
        if colon < 0:
            return False
        fields[head[2:colon]] = "\n".join(block)
    record_id = _value(fields.get("id"))
    kind = _value(fields.get("kind"))
    if record_id is None or kind is None:
        return False
    model = KINDS.get(kind)
    origin = fields.get("imported_from")
    key = month = stored = None
    hand: tuple[tuple[str, str], ...] = ()
    current = ""
    if origin is not None and model is not None:
        values = {}
        for line in origin.split("\n")[1:]:
            name, _, raw = line.strip().partition(": ")
            values[name] = _plain(raw)
        if None in values.values() or set(values) != {"system", "id", "hash"}:
            return False
        if values["system"] == system:
            spec = import_spec_of(model)
            hand_names = hand_fields(model)
            month_text = _value(fields.get(spec.month_field)) if spec else ""
            month = (month_text or "")[:7]
            key = (kind, values["id"])
            stored = values["hash"]
            owned = {name for name in fields if name not in hand_names and name not in ("id", "kind", "imported_from")}
            current = texts_hash(list(fields.items()), owned)
            if current != stored:
                # Not as written: an edit, or only a new layout (quotes, order) of the same values. The
                # values decide: read this one record as YAML.
                item = "- " + "\n".join(fields.values())[2:]
                doc = parse(item, positions=False)
                if doc.problems or not isinstance(doc.value, list) or not isinstance(doc.value[0], dict):
                    return False
                current = owned_hash(kind, doc.value[0])
            hand = tuple((name, text) for name, text in fields.items() if name in hand_names)
            hand = shared.setdefault(hand, hand)  # most records have the same owner, status, ...
    found.append((None if index < 0 else index, record_id, kind, key, month, stored, hand, current))
    return None


def _value(block: str | None) -> str | None:
    """The scalar of a one-line field block ('  id: OUT-1')."""
    if block is None or "\n" in block:
        return None
    _, _, raw = block.partition(": ")
    return _plain(raw.strip())
