-- The mailbox core: citizens (sealed identity), members, cases and their threads, dialogs,
-- the durable outbox, links from sent messages to cases, and processed update ids.
-- Instants are UTC ISO-8601 text ("2026-11-27T02:25:00.000000Z"), so text order is time order.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Sealed identity: members' views never read this table.
CREATE TABLE citizens (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    user_id         TEXT,
    username        TEXT,
    full_name       TEXT,
    consent_version TEXT,
    consent_at      TEXT,
    blocked_at      TEXT,
    created_at      TEXT NOT NULL,
    UNIQUE (channel, chat_id)
);

CREATE TABLE members (
    id                 TEXT PRIMARY KEY,
    name               TEXT NOT NULL,
    roles              TEXT NOT NULL,           -- comma-separated role names
    channel            TEXT,
    chat_id            TEXT,
    active             INTEGER NOT NULL DEFAULT 1,
    unreachable_reason TEXT,                    -- NULL when reachable
    updated_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX members_chat ON members (channel, chat_id) WHERE chat_id IS NOT NULL;

CREATE TABLE daily_sequences (
    day  TEXT PRIMARY KEY,                      -- local date YYYY-MM-DD
    last INTEGER NOT NULL
);

CREATE TABLE cases (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    citizen_id   INTEGER NOT NULL REFERENCES citizens (id),
    field_id     TEXT NOT NULL,
    village      TEXT,
    kind         TEXT NOT NULL,
    state        TEXT NOT NULL,
    anonymous    INTEGER NOT NULL,
    shared_name  TEXT,                          -- only what a named citizen agreed to share
    shared_phone TEXT,
    assignee_id  TEXT REFERENCES members (id),
    created_at   TEXT NOT NULL,
    due_at       TEXT NOT NULL,
    answered_at  TEXT,
    updated_at   TEXT NOT NULL
);
CREATE INDEX cases_citizen_created ON cases (citizen_id, created_at);
CREATE INDEX cases_field_state ON cases (field_id, state);

CREATE TABLE case_messages (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    kind       TEXT NOT NULL,                   -- citizen | answer | internal
    body       TEXT,
    member_id  TEXT REFERENCES members (id),
    created_at TEXT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_id, id);

CREATE TABLE attachments (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES case_messages (id),
    kind       TEXT NOT NULL,                   -- photo | document | voice | location
    file_id    TEXT,
    file_name  TEXT,
    mime_type  TEXT,
    size       INTEGER,
    caption    TEXT,
    latitude   REAL,
    longitude  REAL
);
CREATE INDEX attachments_message ON attachments (message_id);

CREATE TABLE case_events (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    action     TEXT NOT NULL,
    actor      TEXT NOT NULL,                   -- "citizen", "system" or a member id
    from_state TEXT,
    to_state   TEXT,
    note       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- One multi-step conversation per chat; its step and draft survive restarts.
CREATE TABLE dialogs (
    channel    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    step       TEXT NOT NULL,
    data       TEXT NOT NULL,                   -- JSON draft
    updated_at TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

-- Every outbound message, written in the same transaction as the change it reports.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    chat_id         TEXT NOT NULL,
    payload         TEXT NOT NULL,              -- JSON, see bot.domain.outbound
    case_id         INTEGER REFERENCES cases (id),
    link_role       TEXT,
    member_id       TEXT,
    status          TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | failed
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    sent_message_id TEXT,
    last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';

-- Sent messages that are about a case: a reply to one of them is about that case.
CREATE TABLE message_links (
    channel    TEXT NOT NULL,
    chat_id    TEXT NOT NULL,
    message_id TEXT NOT NULL,
    case_id    INTEGER NOT NULL REFERENCES cases (id),
    role       TEXT NOT NULL,
    PRIMARY KEY (channel, chat_id, message_id)
);

-- Updates already handled: a re-delivered update must not act twice.
CREATE TABLE processed_updates (
    channel      TEXT NOT NULL,
    update_id    TEXT NOT NULL,
    processed_at TEXT NOT NULL,
    PRIMARY KEY (channel, update_id)
);
