-- Returns, for the return rates of the sales reports (settlement-service's ReturnUpdated): one row per return, kept
-- from its request on, whatever order its updates arrive in.
create table sales_return (
    return_id         varchar(100) primary key,
    retailer_id       varchar(100) not null,
    supplier_id       varchar(100) not null,
    order_id          uuid         not null,
    supplier_order_id uuid         not null,
    status            varchar(20)  not null,
    requested_at      timestamptz  not null,
    updated_at        timestamptz  not null
);
create index sales_return_retailer on sales_return (retailer_id, requested_at);
create index sales_return_supplier on sales_return (supplier_id, requested_at);
