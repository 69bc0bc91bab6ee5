-- The deadline clock stops while a case waits for the citizen's reply to a member's question;
-- a duplicate case can be merged into another, whose answers then reach both citizens.

ALTER TABLE cases ADD COLUMN waiting_since TEXT;
ALTER TABLE cases ADD COLUMN merged_into INTEGER REFERENCES cases (id);
CREATE INDEX cases_merged_into ON cases (merged_into) WHERE merged_into IS NOT NULL;
