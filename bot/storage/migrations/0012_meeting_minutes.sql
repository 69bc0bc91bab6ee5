-- Meeting minutes (biên bản): who actually attended an occurrence, its conclusions (kết luận),
-- and the tasks (nhiệm vụ) some conclusions become. A task's reminders are rows sent or skipped
-- exactly once (bot.services.task_reminders), like the cases' in 0003, so restarts neither repeat
-- nor lose one.

CREATE TABLE meeting_attendance (
    occurrence_id INTEGER NOT NULL REFERENCES meeting_occurrences (id),
    member_id     TEXT NOT NULL,
    attended      INTEGER NOT NULL CHECK (attended IN (0, 1)),
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL,
    PRIMARY KEY (occurrence_id, member_id)
);

CREATE TABLE meeting_conclusions (
    id              INTEGER PRIMARY KEY,
    occurrence_id   INTEGER NOT NULL REFERENCES meeting_occurrences (id),
    text            TEXT NOT NULL,
    owner_member_id TEXT,                           -- a task's owner; NULL: not a task
    due_on          TEXT,                           -- a task's due day, local date YYYY-MM-DD
    case_id         INTEGER REFERENCES cases (id),  -- the case it is about, if any
    done_at         TEXT,
    done_by         TEXT,
    relayed_at      TEXT,                           -- when it reached the case's citizen
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
CREATE INDEX meeting_conclusions_by_occurrence ON meeting_conclusions (occurrence_id, id);
CREATE INDEX meeting_conclusions_open_tasks ON meeting_conclusions (due_on)
    WHERE owner_member_id IS NOT NULL AND done_at IS NULL;

CREATE TABLE task_reminders (
    id            INTEGER PRIMARY KEY,
    conclusion_id INTEGER NOT NULL REFERENCES meeting_conclusions (id),
    kind          TEXT NOT NULL CHECK (kind IN ('before', 'overdue')),
    days_before   INTEGER,                          -- working days before the due day; 0 on it
    due_at        TEXT NOT NULL,
    sent_at       TEXT,
    skipped_at    TEXT,                             -- done, superseded or moot; never both
    UNIQUE (conclusion_id, kind, due_at)
);
CREATE INDEX task_reminders_pending ON task_reminders (due_at)
    WHERE sent_at IS NULL AND skipped_at IS NULL;
