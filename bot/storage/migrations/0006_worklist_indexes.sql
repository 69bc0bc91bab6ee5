-- Indexes the benchmarks asked for: a member's open cases, overdue sweeps and period statistics
-- read the whole cases table without them.

CREATE INDEX cases_assignee_state ON cases (assignee_id, state) WHERE assignee_id IS NOT NULL;
CREATE INDEX cases_state_due ON cases (state, due_at);
CREATE INDEX cases_created ON cases (created_at);
