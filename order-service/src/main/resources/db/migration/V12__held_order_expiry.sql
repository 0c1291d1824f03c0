-- When an order went on hold (kept while it stays held; cleared when it is routed), so a retailer's setting can
-- cancel orders held longer than it allows.
alter table customer_order add column held_at timestamptz;
update customer_order set held_at = updated_at where status = 'ON_HOLD';
create index customer_order_held_since on customer_order (held_at) where status = 'ON_HOLD';

-- A retailer's choices for its held orders: cancel those held longer than so many days (none: they wait for a
-- person), with the words the store's customer reads when the store is told.
create table retailer_order_settings (
    retailer_id             varchar(100)  primary key,
    cancel_held_after_days  int           check (cancel_held_after_days between 1 and 60),
    customer_message        varchar(500),
    updated_by              varchar(200)  not null,
    updated_at              timestamptz   not null
);
