-- Finding each chat's oldest pending message without grouping every pending row: walk pending
-- rows in id order and check that no earlier pending row of the same chat exists.
CREATE INDEX outbox_pending_order ON outbox (id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX outbox_pending_chat ON outbox (channel, chat_id, id) WHERE status = 'pending';
