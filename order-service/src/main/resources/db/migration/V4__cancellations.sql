-- Cancellations as they were asked for, kept even when OrderCancelled overtakes OrderPlaced: the order is
-- then cancelled as soon as it is recorded, and never routed.
create table order_cancellation (
    order_id      uuid          primary key,
    source        varchar(20)   not null,
    reason        varchar(500),
    cancelled_at  timestamptz   not null
);

alter table customer_order add column cancellation_reason varchar(600);
