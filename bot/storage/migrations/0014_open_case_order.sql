-- A member's open-case lists (/viec) read their page in deadline order straight from these
-- partial indexes, instead of sorting every open case of the member or their fields: at
-- 1,000,000 cases (bench.storage_scale) that sort put the lists' p99 at 30–40 ms. Only open
-- cases are indexed, so the indexes stay small. The WHERE must be written exactly as
-- SqliteCaseRepo.open_cases writes it, or SQLite cannot use them.

CREATE INDEX cases_open_assignee_due ON cases (assignee_id, due_at)
WHERE state IN ('received', 'assigned', 'in_progress');

CREATE INDEX cases_open_field_due ON cases (field_id, due_at)
WHERE state IN ('received', 'assigned', 'in_progress');
