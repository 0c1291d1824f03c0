-- A supplier product is the supplier's SKU (docs/decisions/0003).
create table supplier_product (
    supplier_id     varchar(40)   not null references supplier (id),
    sku             varchar(100)  not null,
    title           varchar(300)  not null,
    description     text,
    wholesale_price numeric(12,2) not null check (wholesale_price >= 0),
    shipping_cost   numeric(12,2) not null check (shipping_cost >= 0),
    currency        char(3)       not null,
    status          varchar(20)   not null,
    updated_at      timestamptz   not null,
    primary key (supplier_id, sku)
);

-- A retailer's listing: what its store sells under its own SKU, and the supplier offers behind it.
create table listing (
    id          varchar(40)  primary key,
    retailer_id varchar(100) not null,
    sku         varchar(100) not null,
    title       varchar(300) not null,
    status      varchar(20)  not null,
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    unique (retailer_id, sku)
);

create table listing_offer (
    listing_id  varchar(40)  not null references listing (id),
    priority    integer      not null,
    supplier_id varchar(40)  not null,
    sku         varchar(100) not null,
    primary key (listing_id, priority),
    foreign key (supplier_id, sku) references supplier_product (supplier_id, sku)
);
