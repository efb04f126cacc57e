"""Macros for hand-written pages (mkdocs-macros), documented in README "Narrative pages".

Loaded by the macros plugin from the installed package (``modules: [generator.engine.macros]``).
Pages opt in with ``render_macros: true`` in their front matter. Record text is only ever the
*result* of a macro, never template source, so it is not evaluated.

- ``record(ID)``: the record with that id (fields as attributes), e.g. ``record("SLA-MAIL-BANK").targets``.
- ``link(ID)``: a markdown link to the record's page, titled "ID — title".
- ``records(KIND)``: every record of a kind, sorted by id.
- ``table(KIND, FIELDS...)``: a markdown table of every record of a kind with id, title and the named fields.
"""

from __future__ import annotations

from typing import Any

from generator.engine.plugin import find_plugin
from generator.site.records import Renderer
from generator.content.markup import esc


def define_env(env: Any) -> None:
    def index() -> Any:
        # The clause8 plugin runs first (it is listed before macros) and holds this build's records.
        found = find_plugin(env.conf).index
        if found is None:
            raise RuntimeError("records are not loaded: list the clause8 plugin before macros")
        return found

    def renderer() -> Renderer:
        lang = (env.conf.theme or {}).get("language", "en") if hasattr(env.conf.theme, "get") else "en"
        return Renderer(index(), lang=lang)

    def here() -> str:
        page = env.page
        return page.file.src_uri if page is not None else "index.md"

    @env.macro
    def record(record_id: str) -> Any:
        rec = index().get(record_id)
        if rec is None:
            raise KeyError(f"no record with id '{record_id}'")
        return rec

    @env.macro
    def link(record_id: str) -> str:
        record(record_id)
        return renderer().link(record_id, here())

    @env.macro
    def records(kind: str) -> list[Any]:
        return [loaded.record for loaded in sorted(index().of_kind(kind), key=lambda item: item.record.id)]

    @env.macro
    def table(kind: str, *fields: str) -> str:
        view = renderer()
        t = view.t
        head = [t("field.id"), t("field.title"), *(t.field(f) for f in fields)]
        lines = ["| " + " | ".join(esc(h) for h in head) + " |", "|" + "---|" * len(head)]
        for rec in records(kind):
            model_fields = type(rec).model_fields
            cells = [view.link(rec.id, here(), show_title=False), esc(rec.title)]
            cells += [view.value(getattr(rec, f), model_fields[f], here()) for f in fields]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)
