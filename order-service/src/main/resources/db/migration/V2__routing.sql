-- Projections of catalog-service's events: what order-service routes from, without asking anyone.
create table supplier_view (
    supplier_id      varchar(40)  primary key,
    status           varchar(20)  not null,
    ship_from_region varchar(10)  not null,
    reliability      numeric(4,3) not null default 1,
    changed_at       timestamptz  not null
);
create table offer_view (
    supplier_id     varchar(40)   not null,
    sku             varchar(100)  not null,
    wholesale_price numeric(12,2) not null,
    shipping_cost   numeric(12,2) not null,
    currency        char(3)       not null,
    status          varchar(20)   not null,
    changed_at      timestamptz   not null,
    primary key (supplier_id, sku)
);
create table listing_view (
    listing_id  varchar(40)  primary key,
    retailer_id varchar(100) not null,
    sku         varchar(100) not null,
    status      varchar(20)  not null,
    offers      jsonb        not null,
    changed_at  timestamptz  not null
);
create index listing_view_retailer_sku on listing_view (retailer_id, sku);

-- One supplier's part of an order. A re-route makes a new one with the next attempt number.
create table supplier_order (
    id              uuid          primary key,
    order_id        uuid          not null references customer_order (id),
    supplier_id     varchar(40)   not null,
    attempt         integer       not null,
    status          varchar(20)   not null,
    wholesale_total numeric(14,2) not null,
    shipping_cost   numeric(14,2) not null,
    created_at      timestamptz   not null,
    updated_at      timestamptz   not null
);
create index supplier_order_order on supplier_order (order_id);

create table supplier_order_line (
    supplier_order_id uuid          not null references supplier_order (id),
    line_id           varchar(100)  not null,
    listing_id        varchar(40),
    sku               varchar(100)  not null,
    quantity          integer       not null,
    wholesale_price   numeric(12,2) not null,
    shipping_cost     numeric(12,2) not null,
    retail_price      numeric(14,4) not null,
    primary key (supplier_order_id, line_id)
);

-- A supplier that refused a line is not offered that line again.
create table routing_exclusion (
    order_id    uuid         not null,
    line_id     varchar(100) not null,
    supplier_id varchar(40)  not null,
    primary key (order_id, line_id, supplier_id)
);
