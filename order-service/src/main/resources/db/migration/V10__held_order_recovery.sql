-- Why a supplier is kept away from a line: SHORT (it refused the line for stock; lifted when its stock of the product
-- returns, HeldOrders) or REJECTED (it rejected the supplier order; kept).
alter table routing_exclusion add column reason varchar(20) not null default 'SHORT';
-- Held orders are found by their lines when the catalog changes.
create index customer_order_held on customer_order (retailer_id) where status = 'ON_HOLD';
create index order_line_sku on order_line (sku);
