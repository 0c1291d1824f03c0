-- A supplier order's lines as they were reserved (from StockReserved), so a return can take some units of some lines
-- and give back exactly their share.
create table supplier_order_line_account (
    supplier_order_id  uuid          not null,
    line_id            varchar(100)  not null,
    sku                varchar(100)  not null,
    quantity           int           not null,
    wholesale_price    numeric(14,2) not null,
    primary key (supplier_order_id, line_id)
);

-- A return of some units of some lines: the retailer asks with a reason; the supplier authorises it under its policy
-- with return instructions, or refuses with a reason (support may overrule); the supplier marks the parcel received
-- (and whether the units are sellable again); only then is the money given back (a supplier_order_return row that
-- StripeCalls carries out: the supplier's transfer reversed, the retailer refunded).
create table return_request (
    id                      uuid          primary key,
    supplier_order_id       uuid          not null references supplier_order_account (supplier_order_id),
    order_id                uuid          not null,
    retailer_id             varchar(100)  not null,
    supplier_id             varchar(40)   not null,
    currency                char(3)       not null,
    reason                  varchar(500)  not null,
    status                  varchar(20)   not null check (status in ('REQUESTED', 'AUTHORISED', 'REFUSED', 'RECEIVED', 'REFUNDED')),
    instructions            varchar(2000),
    refusal                 varchar(500),
    overruled_by            varchar(200),
    return_shipping_paid_by varchar(10),
    restocking_fee_percent  numeric(5,2),
    amount                  numeric(14,2),
    sellable                boolean,
    requested_by            varchar(200)  not null,
    decided_by              varchar(200),
    give_back_id            uuid,
    created_at              timestamptz   not null,
    updated_at              timestamptz   not null
);
create index return_request_supplier on return_request (supplier_id, created_at desc);
create index return_request_retailer on return_request (retailer_id, created_at desc);

create table return_request_line (
    request_id  uuid          not null references return_request (id),
    line_id     varchar(100)  not null,
    sku         varchar(100)  not null,
    quantity    int           not null check (quantity > 0),
    primary key (request_id, line_id)
);

-- Who pays for the parcel back, in the supplier's policy (the retailer unless the supplier says otherwise).
alter table supplier_return_policy add column return_shipping_paid_by varchar(10) not null default 'RETAILER';

-- A line return's money is a give-back of its own, beside the one whole-order return and any case refunds.
alter table supplier_order_return add column return_request_id uuid unique;
drop index supplier_order_return_one_return;
create unique index supplier_order_return_one_return on supplier_order_return (supplier_order_id)
    where case_id is null and return_request_id is null;
