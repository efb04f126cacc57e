"""Macros for hand-written pages (mkdocs-macros), documented in README "Narrative pages".

Pages opt in with ``render_macros: true`` in their front matter. Record text is only ever the
*result* of a macro, never template source, so it is not evaluated.

- ``record(ID)``: the record with that id (fields as attributes), e.g. ``record("SLA-MAIL-BANK").targets``.
- ``link(ID)``: a markdown link to the record's page, titled "ID — title".
- ``records(KIND)``: every record of a kind, sorted by id.
- ``table(KIND, FIELDS...)``: a markdown table of every record of a kind with id, title and the named fields.
"""

from __future__ import annotations

from typing import Any

from generator import site_state
from generator.render import Renderer, esc


def _renderer() -> Renderer:
    site = site_state.current
    if site.index is None:
        raise RuntimeError("records are not loaded: the clause8 hook must run before macros")
    return Renderer(site.index)


def define_env(env: Any) -> None:
    def here() -> str:
        page = env.page
        return page.file.src_uri if page is not None else "index.md"

    @env.macro
    def record(record_id: str) -> Any:
        rec = site_state.current.index.get(record_id) if site_state.current.index else None
        if rec is None:
            raise KeyError(f"no record with id '{record_id}'")
        return rec

    @env.macro
    def link(record_id: str) -> str:
        record(record_id)
        return _renderer().link(record_id, here())

    @env.macro
    def records(kind: str) -> list[Any]:
        index = site_state.current.index
        return [loaded.record for loaded in sorted(index.of_kind(kind), key=lambda item: item.record.id)]

    @env.macro
    def table(kind: str, *fields: str) -> str:
        view = _renderer()
        t = view.t
        head = [t("field.id"), t("field.title"), *(t.field(f) for f in fields)]
        lines = ["| " + " | ".join(esc(h) for h in head) + " |", "|" + "---|" * len(head)]
        for rec in records(kind):
            model_fields = type(rec).model_fields
            cells = [view.link(rec.id, here(), show_title=False), esc(rec.title)]
            cells += [view.value(getattr(rec, f), model_fields[f], here()) for f in fields]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
