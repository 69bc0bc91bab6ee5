"""English sentences of /timkiem, the members' full-text search.

Merged into `bot.texts.en.ENTRIES`. Parameters arrive escaped; entries are HTML.
"""

from __future__ import annotations

from bot.texts.catalogue import Entry

SEARCH: dict[str, Entry] = {
    "search_usage": (
        "Please type the words after the command, for example <code>/timkiem broken road</code>. "
        "Vietnamese words may be typed without diacritics."
    ),
    "search_too_long": "The search is too long. Please use at most {max} characters and {count} words.",
    "search_header": "<b>Results for «{query}»</b> (page {page}, newest first)",
    "search_line": "• <code>{code}</code>, {field}, {state}\n  <i>{text}</i>",
    "search_none": "No case you may see mentions «{query}». You may try other words.",
    "search_sent_privately": "The search results are in your private chat with the mailbox.",
    "search_no_more": "No more cases mention «{query}».",
}
