"""The emergency pack's contacts as one vCard 3.0 file for phones (RFC 6350 escaping and folding)."""

from __future__ import annotations

import uuid

from .pack import Pack, PersonCard, SupportEntry

__all__ = ["fold", "vcard", "vcard_escape"]


# The namespace of the vCard UIDs: the same person keeps the same UID in every copy, so a phone
# that imports a newer file updates the contact instead of adding a second one.
_UID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:clause8-docs:person")


# -- vCard -------------------------------------------------------------------------------------
# Phone labels people write -> vCard 3.0 TEL types.
_TEL_TYPES = {
    "mobile": "CELL", "cell": "CELL", "cellular": "CELL", "hp": "CELL", "handphone": "CELL", "ponsel": "CELL",
    "on-call": "CELL", "oncall": "CELL", "whatsapp": "CELL", "satellite": "CELL", "satphone": "CELL",
    "office": "WORK", "work": "WORK", "kantor": "WORK", "desk": "WORK", "switchboard": "WORK",
    "home": "HOME", "rumah": "HOME", "fax": "FAX", "pager": "PAGER",
}


def _tel_type(label: str) -> str:
    key = label.strip().lower()
    kind = _TEL_TYPES.get(key)
    if kind is None:
        kind = next((v for k, v in _TEL_TYPES.items() if k in key), "")
    return f"{kind},VOICE" if kind in ("WORK", "HOME") else (kind or "VOICE")


# Line breaks other than CR and LF (vertical tab, form feed, the file/group/record separators,
# NEL, the Unicode line and paragraph separators): some readers end a content line at them, so
# they become spaces. Other C0 and C1 controls are dropped.
_VCARD_CLEAN: dict[int, str | None] = {
    **dict.fromkeys(c for c in (*range(0x20), 0x7F, *range(0x80, 0xA0)) if c not in (0x09, 0x0A)),
    **dict.fromkeys(map(ord, "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"), " "),
}


def vcard_escape(text: str) -> str:
    """A vCard text value: backslash, comma, semicolon and newlines escaped (RFC 6350 3.4)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_VCARD_CLEAN)
    return (text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n"))


def fold(line: str, limit: int = 75) -> str:
    """Fold one content line at ``limit`` octets (CRLF + space), never inside a UTF-8 character."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        n = len(ch.encode("utf-8"))
        if size + n > limit:
            out.append(current)
            current, size = " ", 1  # the continuation's leading space counts
        current += ch
        size += n
    out.append(current)
    return "\r\n".join(out)


def _split_name(name: str) -> tuple[str, str]:
    """(family, given) for the N property: the last word as family name, the rest as given
    name; a single name is a given name (common in Indonesia)."""
    words = name.split()
    if len(words) < 2:
        return "", name.strip()
    return words[-1], " ".join(words[:-1])


def vcard_entry(card: PersonCard, duties: tuple[str, ...] = ()) -> list[str]:
    """One person as vCard 3.0 content lines (unfolded)."""
    family, given = _split_name(card.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:urn:uuid:{uuid.uuid5(_UID_NAMESPACE, card.id)}",
        f"FN:{vcard_escape(card.name)}",
        f"N:{vcard_escape(family)};{vcard_escape(given)};;;",
    ]
    if card.organisation:
        lines.append(f"ORG:{vcard_escape(card.organisation)}")
    if card.role:
        lines.append(f"TITLE:{vcard_escape(card.role)}")
    for i, phone in enumerate(card.phones):
        lines.extend(_labelled_tel(i + 1, phone.label, phone.number, _tel_type(phone.label)))
    if card.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK,PREF:{vcard_escape(card.email)}")
    if card.personal_email:
        lines.append(f"EMAIL;TYPE=INTERNET,HOME:{vcard_escape(card.personal_email)}")
    notes = [f"{phone.label}: {phone.number}" for phone in card.phones] + list(duties)
    if notes:
        lines.append(f"NOTE:{vcard_escape(chr(10).join(notes))}")
    lines.append("CATEGORIES:Continuity")
    lines.append("END:VCARD")
    return lines


def _labelled_tel(item: int, label: str, number: str, types: str) -> list[str]:
    """A TEL with its label: the TYPE parameters every reader knows, and the label itself as
    ``X-ABLabel`` in the same group (``itemN.``), which iOS, macOS and Android address books show."""
    pref = ",PREF" if item == 1 else ""
    return [f"item{item}.TEL;TYPE={types}{pref}:{vcard_escape(number)}",
            f"item{item}.X-ABLabel:{vcard_escape(label)}"]


def support_line_entry(line: SupportEntry) -> list[str]:
    """One supplier support line as its own vCard 3.0 card (an organisation card named after the
    supplier and the line's label), with the account or circuit id and the hours in the note."""
    notes = [f"{line.label}: {line.number}"]
    if line.hours:
        notes.append(f"Hours: {line.hours}")
    if line.account:
        notes.append(f"Quote: {line.account}")
    notes.append(f"Contract: {line.contract}")
    return [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:urn:uuid:{uuid.uuid5(_UID_NAMESPACE, f'support:{line.contract}:{line.label}:{line.number}')}",
        f"FN:{vcard_escape(line.name)}",
        f"N:;{vcard_escape(line.name)};;;",
        f"ORG:{vcard_escape(line.supplier)}",
        f"TITLE:{vcard_escape(line.label)}",
        *_labelled_tel(1, line.label, line.number, "WORK,VOICE"),
        f"NOTE:{vcard_escape(chr(10).join(notes))}",
        "X-ABShowAs:COMPANY",
        "CATEGORIES:Continuity,Supplier",
        "END:VCARD",
    ]


def vcard(pack: Pack) -> str:
    """Every continuity contact, then every supplier support line (one card each), as one vCard 3.0
    file: CRLF line ends, lines folded at 75 octets."""
    lines: list[str] = []
    for card in pack.contacts:
        if card.known:
            lines.extend(vcard_entry(card, pack.duties.get(card.id, ())))
    for line in pack.support_lines:
        lines.extend(support_line_entry(line))
    return "".join(fold(line) + "\r\n" for line in lines)
