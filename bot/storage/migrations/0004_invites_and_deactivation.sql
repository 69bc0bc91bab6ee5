-- Members join through one-time invite links; the chair can deactivate a member.

ALTER TABLE members ADD COLUMN deactivated_at TEXT;

CREATE TABLE invites (
    token      TEXT PRIMARY KEY,
    member_id  TEXT NOT NULL REFERENCES members (id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
