-- Supplier orders whose stock was given back (cancelled, or rejected by the supplier). A SupplierOrderRouted
-- that arrives after its cancellation finds its id here and reserves nothing.
create table released_supplier_order (
    supplier_order_id uuid         primary key,
    reason            varchar(40)  not null,
    released_at       timestamptz  not null
);
