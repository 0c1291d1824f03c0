-- What sells across the platform, from order-service's SupplierOrderRouted (reships at no charge left out): one row per
-- order line and the supplier product it was routed to, so a redelivered event counts once. Recommendations rank by it.
create table product_sale (
    order_id     uuid          not null,
    line_id      varchar(100)  not null,
    supplier_id  varchar(40)   not null,
    sku          varchar(100)  not null,
    quantity     integer       not null check (quantity > 0),
    sold_at      timestamptz   not null,
    primary key (order_id, line_id, supplier_id, sku)
);
create index product_sale_product on product_sale (supplier_id, sku, sold_at);
create index product_sale_recent on product_sale (sold_at);
