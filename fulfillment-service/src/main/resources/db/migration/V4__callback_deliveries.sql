-- Supplier orders owed to a supplier's callback endpoint: recorded with the change that causes them,
-- POSTed signed after the commit, retried with backoff until the endpoint answers 2xx.
create table callback_delivery (
    id                bigserial     primary key,
    supplier_id       varchar(40)   not null,
    supplier_order_id uuid          not null,
    event             varchar(60)   not null,
    payload           jsonb         not null,
    status            varchar(20)   not null,
    attempts          int           not null default 0,
    next_attempt_at   timestamptz   not null,
    lease_until       timestamptz,
    last_status       int,
    last_error        varchar(1000),
    created_at        timestamptz   not null,
    delivered_at      timestamptz,
    unique (supplier_order_id, event)
);
create index callback_delivery_due on callback_delivery (next_attempt_at) where status in ('PENDING', 'IN_FLIGHT');
create index callback_delivery_supplier on callback_delivery (supplier_id, created_at);
