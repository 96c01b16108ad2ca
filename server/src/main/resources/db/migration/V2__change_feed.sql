-- Schema version 2: one change feed for every server of the database.
--
-- Writers keep inserting `changes` rows as they commit; a row's place in the feed (feed_seq) is
-- given afterwards, in the background, by whichever server polls first (under an advisory lock),
-- to the rows of transactions that have all finished (txid below the oldest running transaction),
-- in (txid, change_id) order. That order can no longer change once given, so every server sends
-- the same changes in the same order with the same numbers, and a watcher's resume point
-- (feed_id, feed_seq) means the same on every server. The numbering stays out of the writers'
-- transactions: a notification or a counter row inside each write slowed writes measurably.

ALTER TABLE log_meta ADD COLUMN feed_id text NOT NULL DEFAULT gen_random_uuid()::text;

ALTER TABLE changes ADD COLUMN feed_seq bigint;
CREATE UNIQUE INDEX changes_by_feed_seq ON changes (feed_seq) WHERE feed_seq IS NOT NULL;
DROP INDEX changes_feed;
CREATE INDEX changes_unnumbered ON changes (txid, change_id) WHERE feed_seq IS NULL;
CREATE INDEX changes_by_time ON changes (at);
