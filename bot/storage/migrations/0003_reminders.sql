-- Deadline reminders, escalations and progress notes, stored as rows. The scheduler only wakes a
-- sweep that reads the due ones (bot.services.deadlines), so a restart neither repeats nor loses
-- one: a row is sent or skipped exactly once, in the transaction that queues its messages.

CREATE TABLE case_reminders (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    kind        TEXT NOT NULL CHECK (kind IN ('before', 'overdue', 'progress')),
    days_before INTEGER,                        -- working days before the deadline ('before')
    due_at      TEXT NOT NULL,
    sent_at     TEXT,
    skipped_at  TEXT,                           -- cancelled, superseded or moot; never both
    UNIQUE (case_id, kind, due_at)
);
CREATE INDEX case_reminders_pending ON case_reminders (due_at)
    WHERE sent_at IS NULL AND skipped_at IS NULL;
