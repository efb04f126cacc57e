"""The words of a finding message said in Indonesian, and the English words left among them."""

from __future__ import annotations

import re

from generator.content.localize import Joined, Msg, Term, catalogue, say

# Words of English that no Indonesian message holds outside the values it quotes (a value such as
# a field name, an id or a date is a parameter, and is left out before the words are looked at).
ENGLISH = frozenset("""
the is are not must should needs need write was were has have but with which when missing unknown empty
allowed file found expected while and or of to an in on for by it its this did you mean there no than
before after until every days ago due never only still add set record contains cannot could would
""".split())
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|`[^`]*`")
_WORD = re.compile(r"[A-Za-z_.]+")  # a name with '_' or '.' in it (escalated_to) is a field's, not a word

SLOT = "\u00a7"  # stands for a value in the words looked at


def words_of(message: str) -> str:
    """``message`` said in Indonesian with every value it inserts as it is replaced by a mark: only
    the words the catalogue supplies are left (a Term's word, a nested message's words)."""
    if isinstance(message, Joined):
        parts = [words_of(p) if isinstance(p, (Msg, Term)) else SLOT for p in message.parts]
        last = words_of(message.last) if message.last is not None else None
        return (message.sep.join(parts[:-1]) + last + parts[-1]) if last is not None and len(parts) > 1 \
            else message.sep.join(parts)
    if isinstance(message, Term):
        return say(message, "id")
    if not isinstance(message, Msg):
        return SLOT
    template = catalogue("id").get(message.msgid, str(message))
    if not message.params:
        return template
    return template.format(**{name: words_of(value) if isinstance(value, (Msg, Term)) else SLOT
                              for name, value in message.params.items()})


def english_words(message: str) -> list[str]:
    """The English words left in the Indonesian words of ``message``."""
    text = _QUOTED.sub(SLOT, words_of(message))
    return sorted({w for w in _WORD.findall(text) if w.lower().strip(".") in ENGLISH and "_" not in w})
