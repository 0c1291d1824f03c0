-- The store's own order lines, so a shipment can be matched to them and the store told when all have shipped.
create table inbound_order_line (
    order_id          uuid         not null references inbound_order (id),
    line_id           varchar(100) not null,
    sku               varchar(100) not null,
    quantity          int          not null,
    shipped_quantity  int          not null default 0,
    primary key (order_id, line_id)
);

-- Calls the gateway owes a store (tracking for a shipment), made after the event that caused them was
-- committed, retried with backoff until the store has them. One per shipment: a redelivered Shipped
-- finds its row and adds nothing.
create table store_push (
    id               bigserial     primary key,
    kind             varchar(40)   not null,
    store_id         varchar(40)   not null references store_connection (id),
    order_id         uuid          not null references inbound_order (id),
    shipment_id      uuid          not null,
    payload          jsonb         not null,
    status           varchar(20)   not null,
    step             varchar(20)   not null,
    attempts         int           not null default 0,
    next_attempt_at  timestamptz   not null,
    lease_until      timestamptz,
    last_error       varchar(1000),
    store_reference  varchar(200),
    created_at       timestamptz   not null,
    updated_at       timestamptz   not null,
    done_at          timestamptz,
    unique (kind, shipment_id)
);
create index store_push_due on store_push (next_attempt_at) where status in ('PENDING', 'IN_FLIGHT');
create index store_push_store on store_push (store_id, created_at);
