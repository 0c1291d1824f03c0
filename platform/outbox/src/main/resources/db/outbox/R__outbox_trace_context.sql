-- The W3C trace context (traceparent) of the span an event was written in: the relay puts it on the Kafka record as a
-- header, so one trace follows an order from the store's webhook through every service. Null with tracing off.
-- Repeatable with "if not exists", so databases migrated before it get it too.
alter table outbox_event add column if not exists traceparent varchar(64);
