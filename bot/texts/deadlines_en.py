"""English sentences of deadline reminders, escalations and progress notes.

Merged into `bot.texts.en.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

DEADLINES: dict[str, Entry] = {
    "btn_open_case": "📂 Open case",
    # To the holder of a case (or, with none, the members of its field)
    "reminder_before": (
        "⏰ <b>Deadline reminder</b>\n"
        "Case <code>{code}</code> ({field}) must be answered by the end of <b>{due}</b>: "
        "{days} working days left.\n"
        "Press «Open case» to read it and answer the citizen."
    ),
    "reminder_due_today": (
        "⏰ <b>Deadline reminder</b>\n"
        "Case <code>{code}</code> ({field}) is due <b>today</b>, {due}.\n"
        "Press «Open case» to read it and answer the citizen."
    ),
    "overdue_to_holder": (
        "⚠️ Case <code>{code}</code> ({field}) is past its deadline ({due}) and the chair has "
        "been told. Please answer the citizen soon."
    ),
    # To the chair and deputies
    "escalation_overdue": (
        "⚠️ <b>Overdue case</b>\n"
        "Case <code>{code}</code> ({field}) has not been answered; its deadline was {due}.\n"
        "Handled by: {member}\n"
        "State: {state}"
    ),
    "escalation_no_holder": "nobody has claimed it",
    # To the citizen
    "progress_to_citizen": (
        "Your feedback (tracking code <code>{code}</code>) is still being handled. "
        "The committee apologises for not answering by the deadline ({due}) and will send "
        "the result as soon as there is one. You can check its status at any time with /tracuu."
    ),
}
