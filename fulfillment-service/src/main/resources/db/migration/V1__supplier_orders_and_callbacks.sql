-- Supplier orders as the supplier sees them, once their stock is reserved.
create table supplier_order (
    id               uuid         primary key,
    order_id         uuid         not null,
    order_number     varchar(20)  not null,
    supplier_id      varchar(40)  not null,
    status           varchar(20)  not null,
    currency         char(3)      not null,
    lines            jsonb        not null,
    shipping_address jsonb        not null,
    received_at      timestamptz  not null,
    updated_at       timestamptz  not null
);
create index supplier_order_supplier on supplier_order (supplier_id, status, received_at);

-- Where a supplier wants its orders pushed, and the secret the pushes are signed with.
create table supplier_callback (
    supplier_id    varchar(40)  primary key,
    url            varchar(500) not null,
    enabled        boolean      not null,
    signing_secret varchar(100) not null,
    updated_at     timestamptz  not null
);
