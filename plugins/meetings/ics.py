"""ICS calendars (RFC 5545) with ``icalendar``: same content, same bytes.

Nothing depends on the build's clock: UIDs come from the meeting files,
DTSTAMP from the meeting itself, and the VTIMEZONE from the tz database.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable

from icalendar import Calendar, Event, Timezone

from plugins.meetings.reading import TIMEZONE
from plugins.model import Meeting, MeetingStatus

ICS_STATUS = {
    MeetingStatus.PLANNED: "CONFIRMED",
    MeetingStatus.HELD: "CONFIRMED",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.CANCELLED: "CANCELLED",
}
PRODID = "-//CTROC//Bulletins//FR"


def plain_text(fragment: str) -> str:
    """HTML → readable plain text (paragraphs and list items on their own lines)."""
    text = re.sub(r"<li[^>]*>", "- ", fragment)
    text = re.sub(r"</(p|li|h\d|tr)>|<br\s*/?>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def dtstamp(meeting: Meeting) -> dt.datetime:
    """From content, not from the clock: the meeting's start, in UTC."""
    return meeting.start.astimezone(dt.UTC)


def meeting_event(meeting: Meeting, url: str, category: str) -> Event:
    """One VEVENT; all-day meetings use VALUE=DATE with an exclusive DTEND."""
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", dtstamp(meeting))
    event.add("summary", meeting.title)
    if meeting.all_day:
        event.add("dtstart", meeting.first_day)
        event.add("dtend", meeting.last_day + dt.timedelta(days=1))
    else:
        event.add("dtstart", meeting.start)
        if meeting.end > meeting.start:
            event.add("dtend", meeting.end)
    event.add("status", ICS_STATUS[meeting.status])
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", url)
    description = plain_text(meeting.objectives_html)
    if description:
        event.add("description", description)
    event.add("categories", [category])
    return event


def quebec_timezone(meetings: Iterable[Meeting]) -> Timezone:
    """VTIMEZONE for America/Montreal covering the meetings' years."""
    years = [m.start.year for m in meetings] or [2013]
    return Timezone.from_tzid(
        TIMEZONE.key,
        first_date=dt.date(min(years) - 1, 1, 1),
        last_date=dt.date(max(years) + 1, 12, 31),
    )


def calendar_bytes(
    meetings: Iterable[Meeting],
    name: str,
    lang: str,
    urls: dict[str, str],
    categories: dict[str, str],
) -> bytes:
    """The ICS of ``meetings``; ``urls`` maps uid → absolute URL of its page."""
    meetings = list(meetings)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TIMEZONE.key)
    calendar["x-wr-calname"].params["language"] = lang
    calendar.add_component(quebec_timezone(meetings))
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting, urls[meeting.uid], categories[meeting.group]))
    return calendar.to_ical()
