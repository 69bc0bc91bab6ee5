"""English sentences of the committee's meetings: reminders, answers, the list (/lichhop).

Merged into `bot.texts.en.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

MEETINGS: dict[str, Entry] = {
    "meeting_reminder": (
        "📅 <b>Meeting reminder</b>\n"
        "<b>{title}</b>\n"
        "When: <b>{when}</b>\n"
        "Where: {place}\n"
        "Please tell us whether you will attend."
    ),
    "btn_meeting_yes": "Attend",
    "btn_meeting_no": "Absent",
    "meeting_ask_reason": "Why will you miss «{title}» ({when})?",
    "btn_absence_work": "On duty elsewhere",
    "btn_absence_sick": "Ill",
    "btn_absence_personal": "Personal matter",
    "btn_absence_other": "Other reason",
    "meeting_answer_yes": "✅ Noted: you will attend «{title}» ({when}).",
    "meeting_answer_no": "Noted: you will miss «{title}» ({when}), reason: {reason}.",
    "meeting_rsvp_yes": (
        "📋 «{title}» ({when}): {member} <b>attends</b>.\n"
        "Attending {attending} · Absent {absent} · No answer {waiting}"
    ),
    "meeting_rsvp_no": (
        "📋 «{title}» ({when}): {member} is <b>absent</b> ({reason}).\n"
        "Attending {attending} · Absent {absent} · No answer {waiting}"
    ),
    "meeting_on_holiday": (
        "⚠️ <b>Meeting on a day off</b>\n"
        "«{title}» is planned for {when}, a day off: {holiday}.\n"
        "Please ask the chair to move it."
    ),
    "meetings_header": "📅 <b>Upcoming meetings</b>",
    "meetings_line": (
        "• <b>{title}</b>: {when}, {place}\n"
        "  Attending {attending} · Absent {absent} · No answer {waiting}"
    ),
    "meetings_none": "No meetings are coming up.",
    "meeting_not_invited": "You are not on this meeting's list of attendees.",
    "meeting_closed": "This meeting has started or was cancelled.",
}
