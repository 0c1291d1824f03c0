-- The reservation ledger: what each supplier order holds, line by line.
create table reservation (
    supplier_order_id uuid         not null,
    supplier_id       varchar(40)  not null,
    sku               varchar(100) not null,
    line_id           varchar(100) not null,
    quantity          integer      not null check (quantity > 0),
    status            varchar(20)  not null,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    primary key (supplier_order_id, line_id)
);
create index reservation_stock on reservation (supplier_id, sku, status);
