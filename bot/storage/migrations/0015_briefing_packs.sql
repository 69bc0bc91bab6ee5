-- Briefing packs sent with a meeting's reminders (issue 4): one row per occurrence and moment
-- ("first" or "last" reminder), written in the transaction that queues the pack, so a pack goes
-- once even when attendees are added later or the process restarts.

CREATE TABLE briefing_packs (
    occurrence_id INTEGER NOT NULL REFERENCES meeting_occurrences (id),
    moment        TEXT NOT NULL CHECK (moment IN ('first', 'last')),
    sent_at       TEXT NOT NULL,
    PRIMARY KEY (occurrence_id, moment)
);
