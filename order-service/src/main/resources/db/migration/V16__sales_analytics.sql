-- The retailers' sales analytics, a projection built from the bus by a consumer group of its own
-- (order-service.analytics): one row per supplier order line routed, at its retail price (revenue) and its wholesale
-- price plus its share of shipping (cost); and per supplier order what later events said of it (cancelled or rejected
-- before shipping: it leaves the figures; shipped, and when; the platform fee Settled names). Events of different
-- topics may come in any order: each writes its own part.
create table sales_line (
    supplier_order_id  uuid          not null,
    line_id            varchar(100)  not null,
    order_id           uuid          not null,
    retailer_id        varchar(100)  not null,
    store_id           varchar(100),
    listing_id         varchar(40),
    supplier_id        varchar(40)   not null,
    sku                varchar(100)  not null,
    title              varchar(300),
    currency           char(3)       not null,
    quantity           integer       not null,
    revenue            numeric(14,2) not null,
    cost               numeric(14,2) not null,
    routed_at          timestamptz   not null,
    primary key (supplier_order_id, line_id)
);
create index sales_line_retailer on sales_line (retailer_id, routed_at);

create table sales_supplier_order (
    supplier_order_id  uuid          primary key,
    void               boolean       not null default false,
    shipped_at         timestamptz,
    fee                numeric(14,2),
    cost_total         numeric(14,2)   -- its lines' cost, to share the fee among them
);
