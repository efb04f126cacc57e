"""The "What is due" page (``due/index.md``) and the calendar feed (``calendar.ics``) of an edition.

Both come from :func:`generator.figures.due.due_items` over the edition's records, so they show exactly
what the edition may show: an obligation of a withheld record is not computed at all. The page
lists what is overdue and what falls due in the next 90 days (tables sortable in the browser),
then the same obligations by owner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..checks import Context
from ..content.index import Index
from ..content.markup import esc
from ..figures.due import HORIZON_DAYS, Due, due_items, upcoming
from .calendar_feed import FEED, calendar_feed
from .links import relative

__all__ = ["PAGE", "DueSite", "add_due", "edition_dues", "render_due"]

PAGE = "due/index.md"


def edition_dues(index: Index, today: dt.date) -> list[Due]:
    """Every obligation of ``index``'s records, judged with the checks' default ages."""
    ctx = Context(today)
    return due_items(index, ctx.complaint_max_open_days, ctx.dispute_max_open_days)


@dataclass(frozen=True)
class DueSite:
    """What an edition gets: the page's markdown, the feed (made when called: its bytes) and the
    navigation entry."""

    page: str
    feed: Callable[[], bytes]
    nav: dict[str, str]


def render_due(index: Index, today: dt.date, env: Any, t: Any, link: Callable[..., str], *, name: str,
               site_title: str, built: dt.datetime) -> DueSite:
    """The page and the feed (``env``: the site's template environment; ``link(id, here, show_title)``:
    a record link as the rest of the site writes it; ``name``: the short name in every event UID)."""
    items = edition_dues(index, today)
    overdue, soon = upcoming(items, today)

    def row(d: Due) -> dict[str, Any]:
        return {
            "date": d.date.isoformat(), "days": abs(d.days(today)), "what": esc(t(f"due.what_{d.what}")),
            "record": link(d.record, PAGE), "owner": link(d.owner, PAGE, show_title=False),
            "basis": esc(_basis(d, t)),
        }

    owners: dict[str, list[dict[str, Any]]] = {}
    people = "person" in {loaded.record.kind for loaded in index.records}
    for d in [*overdue, *soon]:
        if d.owner in index.by_id:
            owners.setdefault(d.owner, []).append({**row(d), "overdue": d.overdue(today)})
    by_owner = [(link(owner, PAGE), rows) for owner, rows in sorted(owners.items())] if people else []
    page = env.get_template("due.md.j2").render(
        today=today, horizon=HORIZON_DAYS, overdue=[row(d) for d in overdue], soon=[row(d) for d in soon],
        by_owner=by_owner, feed=relative(FEED, PAGE), total=len(items), people=people)

    def summary(d: Due) -> str:
        rec = index.get(d.record)
        return f"{t(f'due.what_{d.what}')}: {d.record}" + (f" — {rec.title}" if rec is not None else "")

    def description(d: Due) -> str:
        owner = index.get(d.owner)
        lines = [_basis(d, t)]
        if owner is not None:
            lines.append(f"{t('field.owner')}: {owner.id} — {owner.title}")
        return "\n".join(lines)

    def feed() -> bytes:
        return calendar_feed(items, name=name, stamp=built, summary=summary, description=description,
                             title=f"{site_title} — {t('due.title')}" if site_title else t("due.title"))

    return DueSite(page, feed, {t("due.title"): PAGE})


def _basis(d: Due, t: Any) -> str:
    """How the date was reached, in words: '12 months after 2026-01-15'."""
    from .wording import duration_words

    if d.what == "contract_notice":
        return t("due.basis_notice", interval=duration_words(d.interval, t))
    if d.since is None or not d.interval:
        return t("due.basis_date")
    return t("due.basis_after", interval=duration_words(d.interval, t), since=d.since.isoformat())


def add_due(site: Any, renderer: Any, name: str) -> None:
    """Add the page, the feed and the navigation entry to a rendered site (``renderer``: the
    :class:`generator.site.records.Renderer` that rendered it, whose records, date and templates they use)."""
    due = render_due(renderer.index, renderer.today, renderer.env, renderer.t, renderer.link, name=name,
                     site_title=renderer.site_title, built=renderer.built)
    site.pages[PAGE] = due.page
    site.later((FEED,), lambda: {FEED: due.feed()})
    site.nav.append(due.nav)
