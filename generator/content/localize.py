"""Finding messages in the reader's language.

A message is written where the problem is found, in English, as a template with named parameters
and a stable msgid::

    Msg("review-overdue", "review was due on {due} ({days} days ago, as of {today})",
        due=due.isoformat(), days=days, today=today.isoformat())

A :class:`Msg` *is* the English text (a ``str``), so English output reads no catalogue at all and
stays exactly what the template says. :func:`say` gives it in another language: the msgid is
looked up in ``generator/data/messages.yaml`` (one entry per msgid: the English template it was
translated from, and the translation) and the same parameters are filled in. Parameters are
inserted as they are (ids, values, dates, field paths), except a parameter that is itself a
:class:`Msg` (said in the language too) or a :class:`Term` (a word of ``labels.yaml``, such as a
kind's name). A translation may leave out a parameter, or use one the English leaves out.

A test scans the code for every ``Msg(...)`` and fails when the catalogue has no translation for
its msgid, or when the English template differs from the one the translation was made from.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "messages.yaml"
LANGUAGES = ("en", "id")


def _rebuild(text: str, msgid: str, params: dict[str, Any]) -> Msg:
    obj = str.__new__(Msg, text)
    obj.msgid = msgid
    obj.params = params
    return obj


class Msg(str):
    """An English message that knows its msgid and parameters, so it can be said in another language."""

    msgid: str
    params: dict[str, Any]

    def __new__(cls, msgid: str, template: str, /, **params: Any) -> Msg:
        obj = str.__new__(cls, template.format(**params) if params else template)
        obj.msgid = msgid
        obj.params = params
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # findings cross process boundaries (parallel loading)
        return _rebuild, (str(self), self.msgid, self.params)


class Term(str):
    """A word in English that ``generator/data/labels.yaml`` has in every language (``key``)."""

    key: str

    def __new__(cls, english: str, key: str) -> Term:
        obj = str.__new__(cls, english)
        obj.key = key
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return Term, (str(self), self.key)


def kind_term(kind: str) -> Term:
    """A kind's name as a word in a sentence: 'continuity plan' (Indonesian: 'rencana kontinuitas layanan')."""
    return Term(kind.replace("_", " "), f"kind.{kind}")


@cache
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> template in ``lang`` (read once, and only for a language other than English)."""
    from .datafiles import load_data

    data = load_data(CATALOGUE.read_text(encoding="utf-8"))
    return {msgid: entry[lang] for msgid, entry in (data or {}).items()
            if isinstance(entry, dict) and isinstance(entry.get(lang), str)}


def say(text: str, lang: str, misses: set[str] | None = None) -> str:
    """``text`` in ``lang``: a :class:`Msg` from the catalogue, anything else as it is.

    What has no translation is said in English (a user sees it rather than nothing) and added to
    ``misses``, when given: the msgid, a Term's key, or the text of a plain ``str`` message."""
    if misses is None:
        misses = set()
    if lang == "en" or lang not in LANGUAGES:
        return text
    if isinstance(text, Term):
        return _term(text, lang, misses)
    if isinstance(text, Joined):
        return _joined(tuple(_part(p, lang, misses) for p in text.parts), text.sep,
                       _part(text.last, lang, misses) if text.last is not None else None)
    if not isinstance(text, Msg):
        if text:
            misses.add(str(text))
        return text
    template = catalogue(lang).get(text.msgid)
    if template is None:
        misses.add(text.msgid)
        return str(text)
    if not text.params:  # as in English: a template without parameters is the text itself
        return template
    params = {name: _part(value, lang, misses) for name, value in text.params.items()}
    return template.format(**params)


def _part(value: Any, lang: str, misses: set[str]) -> Any:
    """A parameter or part in ``lang``: a message or a word translated, a value as it is."""
    return say(value, lang, misses) if isinstance(value, (Msg, Term)) else value


def _term(term: Term, lang: str, misses: set[str]) -> str:
    from .i18n import Translator, tables

    word = catalogue(lang).get(term.key)
    if word is not None:
        return word
    translator = Translator(lang)
    if term.key.startswith("field.") and term.key not in tables()[lang]:
        return f"'{term.key[len('field.'):]}'"  # a field with no label in the language: its name, as written
    if not translator.has(term.key):
        misses.add(term.key)
        return str(term)
    word = translator(term.key)
    # A word inside a sentence: lower case, unless it is an abbreviation ("SLA").
    return word[:1].lower() + word[1:] if word[1:2].islower() else word


class Joined(Msg):
    """Parts (each perhaps a :class:`Msg`) joined by ``sep``, the last two by ``last`` when given
    (``Msg("and", " and ")``): translated part by part."""

    parts: tuple[str, ...]
    sep: str
    last: str | None

    def __new__(cls, parts: Iterable[str], sep: str = ", ", last: str | None = None) -> Joined:
        items = tuple(parts)
        obj = str.__new__(cls, _joined(items, sep, last))
        obj.msgid, obj.params = "", {}
        obj.parts, obj.sep, obj.last = items, sep, last
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return Joined, (self.parts, self.sep, self.last)


def _joined(items: tuple[str, ...], sep: str, last: str | None) -> str:
    if last is None or len(items) < 2:
        return sep.join(items)
    return sep.join(items[:-1]) + last + items[-1]


def os_error(exc: OSError) -> Msg:
    """Why the system refused a file, as it says it in English ("Permission denied"), translatable for
    the common causes (otherwise the system's own words are the parameter)."""
    import errno

    text = str(exc.strerror or exc)
    words = {
        errno.EACCES: Msg("os.permission", "Permission denied"),
        errno.EPERM: Msg("os.not-permitted", "Operation not permitted"),
        errno.ENOENT: Msg("os.no-such-file", "No such file or directory"),
        errno.EISDIR: Msg("os.is-directory", "Is a directory"),
        errno.ENOTDIR: Msg("os.not-directory", "Not a directory"),
        errno.ELOOP: Msg("os.loop", "Too many levels of symbolic links"),
        errno.ENAMETOOLONG: Msg("os.name-too-long", "File name too long"),
        errno.EIO: Msg("os.io", "Input/output error"),
    }
    said = words.get(exc.errno) if exc.errno is not None else None
    return said if said is not None and str(said) == text else Msg("os.other", "{reason}", reason=text)


def about(description: str | None, field: str | None) -> str:
    """`` (the field's description)`` after a message, as a reminder of what belongs there; in another
    language the field's label (``field.<name>`` of labels.yaml), since descriptions are English."""
    if not description:
        return ""
    name = field or "value"
    return Msg("about", " ({description})", description=description.strip(),
               label=Term(name.replace("_", " ").capitalize(), f"field.{name}"))
