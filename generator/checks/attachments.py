"""Evidence files (``attachments``): present, of the type their name says, within the size limit, and
unchanged where a SHA-256 is pinned. The facts come from :mod:`generator.evidence` (``Context.evidence``)."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding
from ..index import Index
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
    return f"{n / (1 << 20):.1f} MiB" if n >= 1 << 20 else f"{n} bytes"


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
                              f"'{attachment.path}': {facts.missing} (evidence files live under content/evidence/)")
                continue
            if not facts.type_ok:
                suffix = attachment.path.rsplit(".", 1)[-1]
                yield finding(loaded, at, "error", "attachment-type",
                              f"'{attachment.path}' is not a {suffix} file (its bytes say otherwise): name it by "
                              "its type, or export it again")
            if facts.size is not None and facts.size > ctx.attachment_max_bytes:
                yield finding(loaded, at, "error", "attachment-too-large",
                              f"'{attachment.path}' is {_size(facts.size)}, over the limit of "
                              f"{_size(ctx.attachment_max_bytes)} (every edition and bundle that carries the record "
                              "carries the file): compress it or split it")
            if attachment.sha256 is not None and facts.sha256 != attachment.sha256:
                yield finding(loaded, ("attachments", i, "sha256"), "error", "attachment-hash-mismatch",
                              f"'{attachment.path}' no longer matches its pinned SHA-256 {attachment.sha256[:12]}…: "
                              f"the file now has {facts.sha256}; restore the file, or pin the new hash if the "
                              "change is intended")
