-- The committee's meetings. Each time a configured meeting takes place is an occurrence; each
-- attendee's reminder is a row sent or skipped exactly once (bot.services.meetings), in the
-- transaction that queues its message, so restarts neither repeat nor lose one.

CREATE TABLE meeting_occurrences (
    id                 INTEGER PRIMARY KEY,
    meeting_id         TEXT NOT NULL,               -- [[meetings]] id in the config
    starts_at          TEXT NOT NULL,
    holiday            TEXT,                        -- the holiday's name when it falls on one
    holiday_flagged_at TEXT,                        -- when the secretary was told of it
    cancelled_at       TEXT,
    UNIQUE (meeting_id, starts_at)
);

CREATE TABLE meeting_reminders (
    id            INTEGER PRIMARY KEY,
    occurrence_id INTEGER NOT NULL REFERENCES meeting_occurrences (id),
    member_id     TEXT NOT NULL,
    due_at        TEXT NOT NULL,
    sent_at       TEXT,
    skipped_at    TEXT,                             -- meeting started or superseded; never both
    UNIQUE (occurrence_id, member_id, due_at)
);
CREATE INDEX meeting_reminders_pending ON meeting_reminders (due_at)
    WHERE sent_at IS NULL AND skipped_at IS NULL;

CREATE TABLE meeting_rsvps (
    occurrence_id INTEGER NOT NULL REFERENCES meeting_occurrences (id),
    member_id     TEXT NOT NULL,
    answer        TEXT NOT NULL CHECK (answer IN ('yes', 'no')),
    reason        TEXT CHECK (reason IN ('work', 'sick', 'personal', 'other')),
    answered_at   TEXT NOT NULL,
    PRIMARY KEY (occurrence_id, member_id)
);
