-- Priority lanes (bot.domain.outbound.Lane): 0 interactive, 1 notice, 2 bulk. Rows queued
-- before this migration are notices. The dispatcher walks pending rows in (lane, id) order and
-- keeps the first that heads its chat, so the index below serves that walk as 0010's serves the
-- oldest-first one.
ALTER TABLE outbox ADD COLUMN lane INTEGER NOT NULL DEFAULT 1;
CREATE INDEX outbox_pending_lane ON outbox (lane, id, next_attempt_at) WHERE status = 'pending';
