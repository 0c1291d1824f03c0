-- Why a supplier order ended without shipping: the supplier's rejection reason, or the cancellation.
alter table supplier_order add column reason varchar(500);
alter table supplier_order add column delivered_at timestamptz;

-- Supplier orders cancelled before they arrived here (SupplierOrderCancelled overtook StockReserved):
-- when the reservation arrives, the supplier never sees the order.
create table cancelled_supplier_order (
    supplier_order_id uuid         primary key,
    reason            varchar(500),
    cancelled_at      timestamptz  not null
);
