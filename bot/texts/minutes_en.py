"""English sentences of meeting minutes, conclusions and tasks.

Merged into `bot.texts.en.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

MINUTES: dict[str, Entry] = {
    "secretary_only": "This is for the secretary, the chair and the deputies.",
    "help_minutes": (
        "\n\n<b>Meeting minutes</b>\n"
        "• /bienban: pick a meeting that took place to record attendance and conclusions; each "
        "conclusion can become a task (owner, due day) or be sent to the citizen as the answer "
        "of the case it concerns.\n"
        "• /nhiemvu: tasks not done yet."
    ),
    "minutes_none": "No meeting has taken place yet to write minutes for.",
    "minutes_pick": "📝 <b>Meeting minutes</b>\nPlease pick a meeting:",
    "minutes_not_held": "This meeting has not taken place yet or was cancelled; no minutes yet.",
    "minutes_card": (
        "📝 <b>Minutes of «{title}»</b> ({when})\nPresent: {present_names}\nAbsent: {absent_names}"
    ),
    "minutes_attendance_unconfirmed": (
        "<i>The list follows the replies to the invitation and is not confirmed yet; press "
        "«Attendance» to confirm it.</i>"
    ),
    "minutes_conclusions_header": "<b>Conclusions ({count}):</b>",
    "minutes_conclusion_line": "{number}. {text}",
    "minutes_task_open": "\n   ↳ Task: {member}, due {due}",
    "minutes_task_done": "\n   ↳ Task: {member}, due {due} (done)",
    "minutes_case_linked": "\n   ↳ About case <code>{code}</code>",
    "minutes_case_relayed": "\n   ↳ Sent to the citizen (case <code>{code}</code>)",
    "btn_minutes_attendance": "Attendance",
    "btn_minutes_add": "Add a conclusion",
    "btn_minutes_view": "View the minutes",
    "minutes_attendance": (
        "👥 <b>Attendance at «{title}»</b> ({when}): {present}/{total} present.\n"
        "The list follows the replies to the invitation. Press a name to switch between present "
        "(✅) and absent (❌), then press «Confirm attendance»."
    ),
    "btn_attendance_confirm": "Confirm attendance",
    "minutes_attendance_saved": "✅ Attendance recorded: {present}/{total} present.",
    "minutes_conclusion_prompt": (
        "Please send <b>one</b> conclusion of «{title}» ({when}) in one message (at most {max} "
        "characters). Type /huy to stop."
    ),
    "minutes_text_only": "This step needs a text message. Please send it again, or type /huy.",
    "minutes_conclusion_too_long": (
        "The conclusion is too long ({got} characters; at most {max}). Please shorten it or split "
        "it into several conclusions."
    ),
    "minutes_conclusion_saved": (
        "✅ Conclusion {number} of «{title}» recorded.\n"
        "You can make it a task, or tie it to a case to send it to the citizen."
    ),
    "btn_conclusion_task": "Make it a task",
    "btn_conclusion_case": "Tie to a case",
    "input_cancelled_minutes": "The minutes step was cancelled.",
    "task_pick_owner": "Please pick who carries out the task:",
    "task_due_prompt": (
        "Owner: <b>{member}</b>. Please send the due day, for example <code>{example}</code>. "
        "Type /huy to stop."
    ),
    "task_due_invalid": (
        "The due day must be a day after today, written like <code>{example}</code>. Please send "
        "it again, or type /huy."
    ),
    "task_already": "This conclusion is already a task.",
    "task_created": "✅ Task given to {member}, due {due}.",
    "task_owner_unreachable": (
        "⚠️ The mailbox cannot reach {member} on Telegram yet; please tell them in person."
    ),
    "task_notice": (
        "📌 <b>Task for you</b> (a conclusion of «{title}»)\n"
        "{text}\n"
        "Due: <b>{due}</b>\n"
        "Recorded by: {member}\n"
        "When it is done, please press «Done»."
    ),
    "btn_task_done": "Done",
    "btn_task_done_numbered": "Done: task {number}",
    "task_not_yours": "Only the task's owner, the chair or a deputy can mark this task done.",
    "task_already_done": "This task is already marked done.",
    "task_done_you": "✅ Task marked done: {text}",
    "task_done_notice": "✅ {member} marked a task done: {text}",
    "tasks_overdue_hint": "⚠️ Also {count} meeting task(s) past their due day: see /nhiemvu.",
    "tasks_none": "No open tasks.",
    "tasks_header": "📌 <b>Open tasks</b> ({count})",
    "tasks_line": "{number}. {late}{text}\n   {member}, due {due}",
    "task_reminder_before": (
        "⏰ <b>Task reminder</b>\n{text}\nDue: <b>{due}</b>, {days} working days left."
    ),
    "task_reminder_due_today": "⏰ <b>Task reminder</b>\n{text}\nIt is due <b>today</b>, {due}.",
    "task_overdue_to_owner": (
        "⚠️ This task is past its due day ({due}) and the chair was told:\n{text}\n"
        "Please finish it soon and press «Done»."
    ),
    "task_escalation": ("⚠️ <b>Overdue task</b>\n{text}\nOwner: {member}\nDue: {due}"),
    "conclusion_case_prompt": (
        "Please send the tracking code of the case this conclusion answers, for example "
        "<code>MT-261127-0042-K7</code>. Type /huy to stop."
    ),
    "conclusion_case_unknown": (
        "No case has this code. Please check it and send it again, or type /huy."
    ),
    "conclusion_case_linked": (
        "The conclusion is tied to case <code>{code}</code> ({state}).\n"
        "Press «Send to the citizen» to send it as the case's answer."
    ),
    "conclusion_case_linked_closed": (
        "The conclusion is tied to case <code>{code}</code>. The case is «{state}», so it can no "
        "longer be answered."
    ),
    "btn_conclusion_relay": "Send to the citizen",
    "conclusion_relayed": "✅ The conclusion was sent to the citizen as the answer of case <code>{code}</code>.",
    "conclusion_already_relayed": "This conclusion was already sent to the citizen.",
}
