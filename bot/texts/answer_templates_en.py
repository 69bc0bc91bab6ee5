"""English sentences of canned answers and automatic assignment. Keys mirror the Vietnamese ones.

Merged into `bot.texts.en.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

TEMPLATES: dict[str, Entry] = {
    # Canned answers, kept by the chair with /mau
    "templates_title": "📝 <b>Canned answers</b> ({count}):",
    "template_line": "• #{id} [{field}] <b>{title}</b>: {body}",
    "templates_empty": (
        "There are no canned answers yet. Add one with: "
        "/mau them FIELD_ID Title | Answer text (FIELD_ID * for every field)."
    ),
    "template_usage": (
        "Usage:\n"
        "• /mau: list the canned answers.\n"
        "• /mau them FIELD_ID Title | Text: add one (* for every field).\n"
        "• /mau xoa NUMBER: delete canned answer NUMBER."
    ),
    "template_all_fields": "every field",
    "template_added": "Canned answer #{id} added ({field}): <b>{title}</b>.",
    "template_deleted": "Canned answer #{id} deleted.",
    "template_unknown": "There is no canned answer #{id} (or it was deleted).",
    "template_unknown_field": "There is no field with id «{field}». Field ids: {fields} (or * for every field).",
    "template_title_too_long": "A canned answer's title may have at most {max} characters to fit a button (it has {got}).",
    "answer_prompt_templates": "Or press a canned answer below to send it right away.",
    # Automatic round-robin assignment
    "title_auto_assigned": "Case assigned to you automatically",
    "auto_assigned_other": "Case <code>{code}</code> ({field}) was assigned automatically to <b>{member}</b>.",
    "history_who_system": "system",
}
