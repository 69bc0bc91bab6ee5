-- Meetings changed from the chat: meetings the chair or secretary created, occurrences moved,
-- cancelled or retired (gone from the config's schedule), the secretary's pre-meeting summary
-- (sent exactly once, like a reminder), and a typed reason for «Vắng».

CREATE TABLE chat_meetings (
    id            INTEGER PRIMARY KEY,             -- occurrences use meeting_id 'chat:<id>'
    title         TEXT NOT NULL,
    place         TEXT NOT NULL,
    agenda_url    TEXT,
    attendees     TEXT NOT NULL,                   -- JSON list of member ids
    remind_before TEXT NOT NULL,                   -- JSON list of seconds before the start
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);

-- The new start of a moved occurrence; starts_at stays the planned one (the recurrence's key).
ALTER TABLE meeting_occurrences ADD COLUMN moved_to TEXT;
ALTER TABLE meeting_occurrences ADD COLUMN retired_at TEXT;
ALTER TABLE meeting_occurrences ADD COLUMN summary_due_at TEXT;
ALTER TABLE meeting_occurrences ADD COLUMN summary_sent_at TEXT;
ALTER TABLE meeting_occurrences ADD COLUMN summary_skipped_at TEXT;

ALTER TABLE meeting_rsvps ADD COLUMN note TEXT;
