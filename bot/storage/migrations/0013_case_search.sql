-- Full-text search over case threads: the citizen's submission and follow-ups, members' answers
-- and internal notes (every case_messages body), with Vietnamese diacritics folded, so "duong"
-- finds "đường". The unicode61 tokenizer with remove_diacritics 2 folds case and combining marks
-- but keeps "đ" (a letter of its own in Unicode, not d plus a mark), so the indexed text has đ/Đ
-- replaced by d/D first; bot.domain.text_matching.fold folds the query the same way.
-- Contentless (content=''): the text stays in case_messages and the index holds only tokens; its
-- rowid is case_messages.id. Triggers keep it in step with every write, in the same transaction.
-- columnsize = 0: no per-row token counts, which only ranking (bm25) reads; results here are
-- newest first (53 MB saved at 1,000,000 cases).

CREATE VIRTUAL TABLE case_search USING fts5(
    body,
    content = '',
    columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER case_search_insert AFTER INSERT ON case_messages
WHEN new.body IS NOT NULL
BEGIN
    INSERT INTO case_search (rowid, body)
    VALUES (new.id, replace(replace(new.body, 'đ', 'd'), 'Đ', 'D'));
END;

-- A contentless index forgets a row only when told the exact text it indexed.
CREATE TRIGGER case_search_delete AFTER DELETE ON case_messages
WHEN old.body IS NOT NULL
BEGIN
    INSERT INTO case_search (case_search, rowid, body)
    VALUES ('delete', old.id, replace(replace(old.body, 'đ', 'd'), 'Đ', 'D'));
END;

CREATE TRIGGER case_search_update_old AFTER UPDATE OF body ON case_messages
WHEN old.body IS NOT NULL
BEGIN
    INSERT INTO case_search (case_search, rowid, body)
    VALUES ('delete', old.id, replace(replace(old.body, 'đ', 'd'), 'Đ', 'D'));
END;

CREATE TRIGGER case_search_update_new AFTER UPDATE OF body ON case_messages
WHEN new.body IS NOT NULL
BEGIN
    INSERT INTO case_search (rowid, body)
    VALUES (new.id, replace(replace(new.body, 'đ', 'd'), 'Đ', 'D'));
END;

-- Existing threads.
INSERT INTO case_search (rowid, body)
SELECT id, replace(replace(body, 'đ', 'd'), 'Đ', 'D') FROM case_messages WHERE body IS NOT NULL;

-- Every word the index holds. A half-typed last word is read as the words it starts ("quy" →
-- "quyet" OR "quyen"), looked up here: FTS5's own prefix query ("quy"*) merges every posting of
-- those words before it returns a row (about 150 ms for a common word at 5,000,000 messages),
-- while an OR of whole words is read lazily, newest first. SqliteCaseRepo.add_message adds the
-- words of each new message, as bot.domain.search_query.search_words splits them.
CREATE TABLE case_search_terms (
    term TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE VIRTUAL TABLE temp.case_search_vocab USING fts5vocab(main, case_search, row);
INSERT INTO case_search_terms (term) SELECT term FROM temp.case_search_vocab;
DROP TABLE temp.case_search_vocab;
