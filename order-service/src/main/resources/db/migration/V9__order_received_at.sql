-- When the platform took the store's webhook (OrderPlaced's occurredAt): the order pipeline's latency is measured from
-- it (dropship_orders_webhook_to_reserved_seconds). Orders recorded before this column have none.
alter table customer_order add column received_at timestamptz;
