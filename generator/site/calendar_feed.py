"""``calendar.ics``: an edition's due dates as an iCalendar feed (RFC 5545), written with ``icalendar``.

One all-day event per obligation of :mod:`generator.figures.due`, on the last day that is on time. Each
event's UID is the obligation's key (``review.SLA-MAIL-BANK@nld-records``), never its date, so a
calendar subscribed to the feed (Outlook, Google Calendar, Apple Calendar: "subscribe from URL")
moves the event when the date moves instead of adding a second one. The feed is built from an
edition's records only, so it holds nothing the edition withholds; record text becomes iCalendar
text values (escaped by the library), never markup.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable

from icalendar import Calendar, Event

from ..figures.due import Due

__all__ = ["FEED", "calendar_feed", "uid"]

FEED = "calendar.ics"
PRODID = "-//clause8-docs//Due dates//EN"
# How often a subscribed calendar should fetch the feed again (a hint most clients follow).
REFRESH = dt.timedelta(hours=12)


def _domain(name: str) -> str:
    """A UID's right-hand side: the site's short name in letters, digits, '.' and '-'."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", name).strip("-.").lower() or "clause8"


def uid(item: Due, name: str) -> str:
    """The event's UID: the obligation's key at the site's short name (stable across builds)."""
    return f"{item.key}@{_domain(name)}"


def calendar_feed(items: Iterable[Due], *, name: str, title: str, stamp: dt.datetime,
                  summary: Callable[[Due], str], description: Callable[[Due], str]) -> bytes:
    """The feed of ``items``.

    ``name``: the site's short name (bundle name), in every UID; ``title``: the calendar's name;
    ``stamp``: the build time (DTSTAMP, UTC; SOURCE_DATE_EPOCH-aware upstream, so the same content
    and epoch give the same bytes); ``summary`` and ``description``: an event's text.
    """
    events = tuple((uid(item, name), item.date, summary(item), description(item), item.what) for item in items)
    return _feed(events, title, stamp.astimezone(dt.timezone.utc))


# serve builds the feed again at every save, usually from the same events: writing an event out
# costs far more than saying what is in it, so each is written once (the calendar is their sequence).
@functools.lru_cache(maxsize=4)
def _feed(events: tuple[tuple[str, dt.date, str, str, str], ...], title: str, when: dt.datetime) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", title)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")  # an unknown property: written as text, in its duration form
    head = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    assert head.endswith(end)
    return b"".join([head[:-len(end)], *(_event(*event, when) for event in events), end])


@functools.lru_cache(maxsize=65536)
def _event(key: str, date: dt.date, summary: str, description: str, what: str, when: dt.datetime) -> bytes:
    event = Event()
    event.add("uid", key)
    event.add("dtstamp", when)
    event.add("dtstart", date)
    event.add("dtend", date + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("categories", [what])
    event.add("transp", "TRANSPARENT")  # a reminder, not a meeting: it blocks no time
    return event.to_ical()
