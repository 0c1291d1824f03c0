-- Orders and supplier orders change state by optimistic version (see CustomerOrder.version): a concurrent change
-- fails instead of being overwritten, and the inbox retries its event on the new state.
alter table customer_order add column version bigint not null default 0;
alter table supplier_order add column version bigint not null default 0;
