-- When the store cancelled an order we took in: OrderCancelled is published once, whatever the store repeats.
alter table inbound_order add column cancelled_at timestamptz;
