"""Evidence files (``attachments``): present, of the type their name says, within the size limit, and
unchanged where a SHA-256 is pinned. The facts come from :mod:`generator.content.evidence` (``Context.evidence``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..content.findings import Finding
from ..content.index import Index
from ..content.localize import Msg
from . import EVIDENCE, Context, finding

# A record whose evidence file is missing, altered or not what it says is doubtful evidence. A file
# over the size limit is a publishing problem (the site and the bundle), not one of evidence.
REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "attachment-missing": (EVIDENCE,),
    "attachment-hash-mismatch": (EVIDENCE,),
    "attachment-type": (EVIDENCE,),
    "attachment-too-large": (),
}


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else Msg("bytes", "{n} bytes", n=n)


def check(index: Index, ctx: Context) -> Iterator[Finding]:
    evidence = ctx.evidence
    if evidence is None:
        return
    for loaded in index.records:
        for i, attachment in enumerate(loaded.record.attachments):
            facts = evidence.facts(attachment.path)
            if facts is None:
                continue
            at = ("attachments", i, "path")
            if facts.missing:
                yield finding(loaded, at, "error", "attachment-missing",
                              Msg("attachment-missing", "'{path}': {why} (evidence files live under "
                                  "content/evidence/)", path=attachment.path, why=facts.missing))
                continue
            if not facts.type_ok:
                suffix = attachment.path.rsplit(".", 1)[-1]
                yield finding(loaded, at, "error", "attachment-type",
                              Msg("attachment-type", "'{path}' is not a {suffix} file (its bytes say otherwise): "
                                  "name it by its type, or export it again", path=attachment.path, suffix=suffix))
            if facts.size is not None and facts.size > ctx.attachment_max_bytes:
                yield finding(loaded, at, "error", "attachment-too-large",
                              Msg("attachment-too-large", "'{path}' is {size}, over the limit of {limit} (every "
                                  "edition and bundle that carries the record carries the file): compress it or "
                                  "split it", path=attachment.path, size=_size(facts.size),
                                  limit=_size(ctx.attachment_max_bytes)))
            if attachment.sha256 is not None and facts.sha256 != attachment.sha256:
                yield finding(loaded, ("attachments", i, "sha256"), "error", "attachment-hash-mismatch",
                              Msg("attachment-hash-mismatch", "'{path}' no longer matches its pinned SHA-256 "
                                  "{pinned}…: the file now has {sha256}; restore the file, or pin the new hash if "
                                  "the change is intended", path=attachment.path, pinned=attachment.sha256[:12],
                                  sha256=facts.sha256))
