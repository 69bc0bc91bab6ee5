-- Accountability: an append-only audit log of every state change, assignment, answer,
-- identity access and admin action; and members kept away from cases that name them.

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    actor      TEXT NOT NULL,                   -- a member id, "citizen" or "system"
    action     TEXT NOT NULL,
    case_id    INTEGER REFERENCES cases (id),
    detail     TEXT                             -- never a citizen's identity or message text
);
CREATE INDEX audit_log_case ON audit_log (case_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- A case naming a committee member is hidden from that member.
CREATE TABLE case_exclusions (
    case_id   INTEGER NOT NULL REFERENCES cases (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    PRIMARY KEY (case_id, member_id)
);
