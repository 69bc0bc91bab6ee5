-- Each secretary's live attendance list of a meeting occurrence: the outbox row of the message
-- that shows it. Each later answer, move or cancel queues a message replacing that row (an edit
-- in place) and records the new row here, in the same transaction.
CREATE TABLE meeting_live_rolls (
    occurrence_id INTEGER NOT NULL REFERENCES meeting_occurrences (id),
    member_id     TEXT NOT NULL,
    outbox_id     INTEGER NOT NULL,                -- no foreign key: retention purges the outbox
    PRIMARY KEY (occurrence_id, member_id)
);
