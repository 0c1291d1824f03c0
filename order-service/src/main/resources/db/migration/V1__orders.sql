create table customer_order (
    id               uuid          primary key,
    order_number     varchar(20)   not null unique,
    retailer_id      varchar(100)  not null,
    store_id         varchar(100)  not null,
    store_platform   varchar(20)   not null,
    store_order_id   varchar(100)  not null,
    currency         char(3)       not null,
    customer_email   varchar(200),
    status           varchar(20)   not null,
    hold_reason      varchar(500),
    shipping_address jsonb         not null,
    subtotal         numeric(14,4) not null,
    shipping         numeric(14,4) not null,
    tax              numeric(14,4) not null,
    discount         numeric(14,4) not null,
    total            numeric(14,4) not null,
    placed_at        timestamptz   not null,
    updated_at       timestamptz   not null
);
create index customer_order_retailer on customer_order (retailer_id, placed_at desc);
create index customer_order_status on customer_order (status);

create table order_line (
    id             bigserial     primary key,
    order_id       uuid          not null references customer_order (id),
    line_id        varchar(100)  not null,
    listing_id     varchar(100),
    sku            varchar(100)  not null,
    title          varchar(300),
    quantity       integer       not null check (quantity > 0),
    retail_price   numeric(14,4) not null,
    unique (order_id, line_id)
);
