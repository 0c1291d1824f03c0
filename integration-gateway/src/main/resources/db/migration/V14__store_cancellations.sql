-- A store is also owed the cancellation of an order the platform cancelled (a held order past its retailer's limit,
-- or a cancellation asked for with cancelInStore): one CANCEL push per order, no shipment.
alter table store_push alter column shipment_id drop not null;
create unique index store_push_one_cancel on store_push (order_id) where kind = 'CANCEL';
