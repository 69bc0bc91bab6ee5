"""English sentences of reports (/thongke, /xuat); merged into `bot.texts.en.ENTRIES`.

Same keys, parameters and markup as `bot.texts.reports_vi`.
"""

from __future__ import annotations

ENTRIES: dict[str, str] = {
    "reporters_only": "This is for the chair, the deputies and the secretary.",
    # Refusals
    "report_period_invalid": (
        "That period was not understood. For example:\n"
        "• /thongke: this month\n"
        "• /thongke 11/2026: November 2026\n"
        "• /thongke q4/2026: the fourth quarter of 2026\n"
        "• /thongke 2026: the whole of 2026\n"
        "• /thongke 01/11/2026-15/11/2026: from one day to another\n"
        "• /thongke 7: the last 7 days\n"
        "To export the cases: /xuat 11/2026 (an Excel file) or /xuat 11/2026 csv."
    ),
    "report_identity_chair_only": (
        "Only the chair may export cases with the senders' details. "
        "Please send /xuat again without «danh-tinh»."
    ),
    # The statistics message
    "report_stats_title": (
        "📊 <b>Mailbox statistics</b>\nPeriod: {period}\nCases received: <b>{count}</b>"
    ),
    "report_heading": "\n<b>{name}</b>",
    "report_line": "• {name}: {value}",
    "report_empty": "No cases in this period.",
    "report_section_state": "By state",
    "report_section_field": "By field",
    "report_section_village": "By village",
    "report_section_member": "By handler",
    "report_section_timeliness": "Deadlines",
    "report_section_ratings": "What citizens said",
    "report_village_none": "Not given",
    "report_assignee_none": "Not taken yet",
    "report_label_period": "Period",
    "report_label_total": "Cases received",
    "report_label_first_response": "First response time (median)",
    "report_label_answer_time": "Answer time (median)",
    "report_label_overdue": "Overdue now",
    "report_label_on_time": "Answered on time",
    "report_label_late": "Answered late",
    "report_label_ratings": "Ratings",
    "report_label_average": "Average rating (1–5)",
    "report_label_resolved": "Confirmed resolved",
    "report_label_unresolved": "Reported not resolved",
    "report_label_reopened": "Cases reopened",
    "report_value_none": "none yet",
    "report_duration_days": "{days} d {hours} h",
    "report_duration_hours": "{hours} h {minutes} min",
    # The chart
    "report_chart_title": "Cases by field and state, {period}",
    "report_chart_axis": "Cases",
    "report_chart_caption": "📊 Chart of cases by field and state, period {period}.",
    # Exports
    "report_export_caption": "📎 Cases of the period {period}: {count} cases.",
    "report_export_caption_identity": (
        "📎 Cases of the period {period}: {count} cases.\n"
        "⚠️ <b>Contains senders' details</b> (only what citizens agreed to share; anonymous "
        "cases have none). Keep it confidential and do not forward this file."
    ),
    "report_export_stats_caption": "📎 Statistics of the period {period}.",
    "report_sheet_cases": "Cases",
    "report_sheet_stats": "Statistics",
    "report_col_group": "Group",
    "report_col_item": "Figure",
    "report_col_value": "Value",
    "report_col_code": "Tracking code",
    "report_col_created": "Received",
    "report_col_field": "Field",
    "report_col_village": "Village",
    "report_col_kind": "Kind",
    "report_col_state": "State",
    "report_col_assignee": "Handler",
    "report_col_due": "Answer due",
    "report_col_answered": "Answered",
    "report_col_answer": "Answer",
    "report_col_rating": "Rating (1–5)",
    "report_col_name": "Sender's name",
    "report_col_phone": "Sender's phone",
}
