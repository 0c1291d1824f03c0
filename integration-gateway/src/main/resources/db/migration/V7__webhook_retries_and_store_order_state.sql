-- A delivery the gateway could not process is kept as PENDING and retried by the platform until it succeeds
-- (WebhookRetries); a later delivery of the same event processes it at once.
alter table webhook_delivery add column attempts int not null default 0;
alter table webhook_delivery add column next_attempt_at timestamptz;
create index webhook_delivery_pending on webhook_delivery (next_attempt_at) where outcome = 'PENDING';
-- Deliveries that failed before this change were answered 200 and never looked at again: retry them now.
update webhook_delivery set outcome = 'PENDING', next_attempt_at = now() where outcome = 'FAILED';
-- Staleness is now judged per store order across topics (store_order_state), not per topic.
drop index webhook_delivery_resource;

-- The newest state of each store order the gateway has heard of, by the store's own time: an older delivery never
-- overwrites it, and a cancellation that arrives before the payment it follows still wins.
create table store_order_state (
    store_id       varchar(40)  not null references store_connection (id),
    store_order_id varchar(100) not null,
    state_at       timestamptz,
    cancelled      boolean      not null,
    updated_at     timestamptz  not null,
    primary key (store_id, store_order_id)
);
