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
        "{agenda}"
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
        "{number}. <b>{title}</b>: {when}, {place}\n"
        "  Attending {attending} · Absent {absent} · No answer {waiting}"
    ),
    "meetings_none": "No meetings are coming up.",
    "meeting_not_invited": "You are not on this meeting's list of attendees.",
    "meeting_closed": "This meeting has started or was cancelled.",
    "meeting_agenda_line": "Documents: {url}",
    "btn_meeting_roll": "Roll call {number}",
    "btn_meeting_move": "Move {number}",
    "btn_meeting_cancel": "Cancel {number}",
    "btn_meeting_new": "➕ New meeting",
    "meeting_organisers_only": "This is for the chair, a deputy or the secretary.",
    "meeting_ask_own_reason": (
        "Please type a short reason for missing «{title}» (at most {max} characters), "
        "or /huy to stop."
    ),
    "meeting_reason_empty": "Please type the reason in words.",
    "meeting_reason_too_long": (
        "The reason has {got} characters, over the limit of {max}. Please make it shorter."
    ),
    "roll_call": (
        "📋 <b>Roll call: {title}</b>\n"
        "When: {when} · Where: {place}\n"
        "✅ Attending ({attending}): {attending_names}\n"
        "❌ Absent ({absent}): {absent_names}\n"
        "⏳ No answer ({waiting}): {waiting_names}"
    ),
    "roll_absent_one": "{member} ({reason})",
    "roll_nobody": "nobody",
    "meeting_summary_header": "⏰ <b>The meeting starts soon</b>; who said they will come:",
    "roll_moved_header": "🔁 <b>Moved</b> (was: {old}); everyone is asked again:",
    "roll_cancelled_header": "🚫 <b>This meeting was cancelled.</b>",
    "meeting_ask_title": "<b>New meeting (1/5).</b> Please type the meeting's title (/huy to stop).",
    "meeting_ask_when": "<b>(2/5)</b> When does it start? Type a date and time, e.g. 15/12/2026 14:00",
    "meeting_ask_place": "<b>(3/5)</b> Where? E.g. Commune meeting room",
    "meeting_ask_agenda": (
        "<b>(4/5)</b> If there are meeting documents, paste their link (https://…); "
        "otherwise press «Skip»."
    ),
    "btn_skip_agenda": "Skip",
    "meeting_agenda_invalid": (
        "That link is not valid: it must start with http:// or https:// and have no spaces. "
        "Please type it again or press «Skip»."
    ),
    "meeting_ask_attendees": (
        "<b>(5/5)</b> Who is invited? Press «All members», or pick people and press «Done»."
    ),
    "btn_invite_all": "All members",
    "btn_invite_picked": "Done ({count} people)",
    "meeting_pick_someone": "Please pick at least one person, or press «All members».",
    "meeting_use_buttons": "Please choose with the buttons of the message above (or /huy to stop).",
    "meeting_text_only": "Please answer with a text message (or /huy to stop).",
    "meeting_text_too_long": "That has {got} characters, over the limit of {max}. Please shorten it.",
    "meeting_when_unreadable": (
        "I could not read that date and time. Please type day/month/year hour:minute, "
        "e.g. 15/12/2026 14:00"
    ),
    "meeting_when_past": "That moment has passed. Please type a date and time ahead.",
    "meeting_move_same": "The meeting is already at that time. Please type a new date and time.",
    "meeting_flow_cancelled": "Stopped; the calendar is unchanged.",
    "meeting_created": (
        "✅ Created «{title}» at {when}; {count} invited people were told. "
        "They will be reminded a day and two hours ahead."
    ),
    "meeting_new": (
        "📅 <b>New meeting</b>\n"
        "<b>{title}</b>\n"
        "When: <b>{when}</b>\n"
        "Where: {place}\n"
        "{agenda}"
        "Please tell us whether you will attend."
    ),
    "meeting_ask_new_time": (
        "Move «{title}» (now at {when}) to when? "
        "Type a date and time, e.g. 15/12/2026 14:00 (/huy to stop)."
    ),
    "meeting_moved": (
        "🔁 <b>Meeting moved</b>\n"
        "<b>{title}</b>\n"
        "When: {old} → <b>{when}</b>\n"
        "Where: {place}\n"
        "{agenda}"
        "Please tell us again whether you will attend."
    ),
    "meeting_moved_done": "✅ Moved «{title}» from {old} to {when}; every invited person was told.",
    "meeting_confirm_cancel": "Do you really want to cancel «{title}» at {when}?",
    "btn_meeting_cancel_confirm": "Yes, cancel it",
    "meeting_cancelled": (
        "🚫 <b>Meeting cancelled</b>\n«{title}» at {when} in {place} has been cancelled."
    ),
    "meeting_cancelled_done": "✅ Cancelled «{title}» at {when}; every invited person was told.",
    "help_meetings_organiser": (
        "\n\n<b>Meetings (chair, deputies, secretary)</b>\n"
        "• /lichhop: create, move, cancel meetings and see the roll call with the buttons.\n"
        "• /diemdanh: who attends, who is absent (and why), who has not answered the next meeting."
    ),
}
