-- Supplier orders whose payment settlement-service cleared (PaymentCleared): charged, or covered by the retailer's
-- credit terms. A supplier order reaches its supplier only once it is here; one cleared before its StockReserved
-- arrived is found here when it does.
create table cleared_supplier_order (
    supplier_order_id uuid         primary key,
    payment_id        uuid         not null,
    basis             varchar(10)  not null,
    cleared_at        timestamptz  not null
);
-- When the supplier was given the order (RECEIVED). Null while it waits for its payment: the supplier does not see it,
-- and one cancelled before then never shows up at the supplier at all.
alter table supplier_order add column released_at timestamptz;
update supplier_order set released_at = received_at;
