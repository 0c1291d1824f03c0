-- A case resolved with a refund gives money back as a return does (StripeCalls: reverse the supplier's transfer, then
-- refund the retailer), once per case; at the platform's cost it refunds without a reversal. One return per supplier
-- order still, any number of case refunds beside it.
alter table supplier_order_return add column case_id uuid unique;
alter table supplier_order_return add column reverse_transfer boolean not null default true;
alter table supplier_order_return drop constraint supplier_order_return_supplier_order_id_key;
create unique index supplier_order_return_one_return on supplier_order_return (supplier_order_id) where case_id is null;
