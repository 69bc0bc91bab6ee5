-- Canned answers the chair keeps per field (field_id NULL: offered in every field); deleting one
-- only marks it, so the audit log's template ids keep meaning something.

CREATE TABLE answer_templates (
    id         INTEGER PRIMARY KEY,
    field_id   TEXT,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    deleted_at TEXT
);
CREATE INDEX answer_templates_field ON answer_templates (field_id) WHERE deleted_at IS NULL;
