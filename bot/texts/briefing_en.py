"""English sentences of the briefing pack; the twin of bot/texts/briefing_vi.py."""

from __future__ import annotations

from bot.texts.catalogue import Entry

BRIEFING: dict[str, Entry] = {
    # The chat message
    "briefing_title": (
        "📑 <b>Briefing for the committee meeting</b>\n"
        "<b>{title}</b>: {when}, {place}\n"
        "Period: from {since} to {until}"
    ),
    "briefing_heading": "\n<b>{name}</b>",
    "briefing_line": "• {name}: {value}",
    "briefing_totals": (
        "• Received: <b>{received}</b> · Answered: <b>{answered}</b> · "
        "Overdue now: <b>{overdue}</b>"
    ),
    "briefing_tally": "• {name}: {received} / {answered} / {overdue}",
    "briefing_tally_hint": "<i>(received / answered / overdue)</i>",
    "briefing_overdue_line": "• <code>{code}</code>: {field}, {village}; due {due} ({days} days late); handled by: {owner}",
    "briefing_reopened_line": "• <code>{code}</code>: {field}; handled by: {owner}",
    "briefing_conclusion_line": "• {text}: {owner}; due {due}",
    "briefing_more": "… and {count} more",
    "briefing_none": "None.",
    "briefing_ratings": (
        "• Ratings: {count}; average score: {average}/5\n"
        "• Resolved: {resolved} · Not resolved: {unresolved} · Reopened: {reopened}"
    ),
    "briefing_files_follow": "The chart and the report (a Word file to edit and print) follow.",
    "briefing_chart_caption": "📊 Chart for the meeting «{title}» ({when})",
    "briefing_doc_caption": "📄 Report for the meeting «{title}» ({when}): a Word file to edit and sign.",
    "briefing_no_meeting": "There is no meeting to report on yet. Meetings: /lichhop.",
    # Section names, shared by the message, the chart and the document (plain text)
    "briefing_section_totals": "Overview",
    "briefing_section_field": "By field",
    "briefing_section_village": "By village",
    "briefing_section_member": "By member",
    "briefing_section_overdue": "Overdue cases",
    "briefing_section_ratings": "Citizens' ratings",
    "briefing_section_reopened": "Reopened cases",
    "briefing_section_conclusions": "Open conclusions and tasks",
    "briefing_village_none": "Not given",
    "briefing_owner_none": "Nobody yet",
    "briefing_conclusion_owner_none": "Not assigned",
    "briefing_due_none": "not set",
    "briefing_due_late": "{due} (overdue)",
    "briefing_average_none": "none yet",
    # The chart
    "briefing_chart_title": "Cases by field, {since} to {until}",
    "briefing_chart_received": "Received",
    "briefing_chart_answered": "Answered",
    "briefing_chart_overdue": "Overdue now",
    "briefing_chart_axis": "Cases",
    "briefing_chart_empty": "No cases in the period.",
    # The Word document
    "briefing_doc_nation": "SOCIALIST REPUBLIC OF VIETNAM",
    "briefing_doc_motto": "Independence - Freedom - Happiness",
    "briefing_doc_number": "No.:        /REPORT",
    "briefing_doc_place_date": "{place}, {day}/{month}/{year}",
    "briefing_doc_kind": "REPORT",
    "briefing_doc_subject": (
        "Feedback received and handled through the digital mailbox, "
        "for the committee meeting «{title}» on {when}"
    ),
    "briefing_doc_intro": (
        "From {since} to {until} the digital mailbox received {received} submissions and "
        "answered {answered}. At the time of this report {overdue} cases are overdue. "
        "In detail:"
    ),
    "briefing_doc_part_cases": "Cases received and handled",
    "briefing_doc_part_overdue": "Overdue cases",
    "briefing_doc_part_ratings": "Citizens' ratings",
    "briefing_doc_part_conclusions": "Open conclusions and tasks of earlier meetings",
    "briefing_doc_part_proposals": "Proposals",
    "briefing_doc_proposals": "(The secretary adds the proposals before signing.)",
    "briefing_doc_ratings": (
        "In the period citizens gave {count} ratings, {average}/5 on average; "
        "{resolved} cases were confirmed resolved, {unresolved} not resolved; "
        "{reopened} cases were reopened by the citizen."
    ),
    "briefing_doc_none": "None.",
    "briefing_doc_col_number": "No.",
    "briefing_doc_col_field": "Field",
    "briefing_doc_col_village": "Village",
    "briefing_doc_col_member": "Member",
    "briefing_doc_col_received": "Received",
    "briefing_doc_col_answered": "Answered",
    "briefing_doc_col_overdue": "Overdue",
    "briefing_doc_col_code": "Code",
    "briefing_doc_col_due": "Due",
    "briefing_doc_col_days_late": "Days late",
    "briefing_doc_col_score": "Rating",
    "briefing_doc_col_count": "Cases",
    "briefing_doc_col_text": "Conclusion",
    "briefing_doc_col_owner": "Owner",
    "briefing_doc_col_case": "Case",
    "briefing_doc_total": "Total",
    "briefing_doc_score": "{score} stars",
    "briefing_doc_recipients_label": "To:",
    "briefing_doc_recipient_members": "- Committee members;",
    "briefing_doc_recipient_archive": "- Archive.",
    "briefing_doc_signer_on_behalf": "ON BEHALF OF THE COMMITTEE",
    "briefing_doc_signer_title": "CHAIR",
}
