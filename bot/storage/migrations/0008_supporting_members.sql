-- A case has one lead (its assignee, chủ trì) and may have supporting members (phối hợp), each
-- of whom contributes an internal note the lead sees.

CREATE TABLE case_supporters (
    case_id        INTEGER NOT NULL REFERENCES cases (id),
    member_id      TEXT NOT NULL REFERENCES members (id),
    added_by       TEXT NOT NULL,
    added_at       TEXT NOT NULL,
    contributed_at TEXT,
    PRIMARY KEY (case_id, member_id)
);
