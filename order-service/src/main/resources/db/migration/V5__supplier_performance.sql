-- The fulfilment speed each supplier promises (SupplierChanged.handlingDays): a supplier order shipped within
-- it is on time. Unknown until the supplier's next SupplierChanged: 3 days.
alter table supplier_view add column handling_days integer not null default 3;

-- Supplier performance reads a supplier's orders over a rolling window.
create index supplier_order_supplier_created on supplier_order (supplier_id, created_at);
