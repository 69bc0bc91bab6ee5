-- A case's forum topic in the committee supergroup: created once, on the first post about it,
-- so that every later message about the case lands in the same topic.

CREATE TABLE case_topics (
    case_id   INTEGER PRIMARY KEY REFERENCES cases (id),
    channel   TEXT NOT NULL,
    chat_id   TEXT NOT NULL,
    thread_id TEXT NOT NULL
);

CREATE UNIQUE INDEX case_topics_by_thread ON case_topics (channel, chat_id, thread_id);
