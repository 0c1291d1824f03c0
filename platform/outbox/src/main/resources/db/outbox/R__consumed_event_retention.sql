-- The active outbox relay deletes consumed-event records past dropship.outbox.inbox.retention; this index keeps
-- that delete from scanning the table. Repeatable, so databases migrated before it get it too.
create index if not exists consumed_event_consumed_at on consumed_event (consumed_at);
