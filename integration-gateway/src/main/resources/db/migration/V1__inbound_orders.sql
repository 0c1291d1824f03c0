-- Every order taken in, whatever the store, before it becomes OrderPlaced. The unique keys make a
-- redelivered order (same idempotency key, or same store order) a no-op.
create sequence order_number_seq;

create table inbound_order (
    id              uuid         primary key,
    order_number    varchar(20)  not null unique,
    retailer_id     varchar(100) not null,
    store_id        varchar(100) not null,
    store_platform  varchar(20)  not null,
    store_order_id  varchar(100) not null,
    idempotency_key varchar(200),
    received_at     timestamptz  not null default now(),
    unique (store_id, store_order_id),
    unique (retailer_id, idempotency_key)
);
