-- Which plan each retailer is on; a retailer not listed is on BASIC.
create table retailer_plan (
    retailer_id varchar(100) primary key,
    plan        varchar(20)  not null references fee_rule (plan),
    updated_at  timestamptz  not null
);

-- What settlement knows of a supplier order: its amounts (from StockReserved) and its shipment (from
-- Shipped). The two may arrive in either order; the supplier order settles when both are in.
create table supplier_order_account (
    supplier_order_id uuid          primary key,
    order_id          uuid          not null,
    order_number      varchar(20),
    retailer_id       varchar(100)  not null,
    supplier_id       varchar(40)   not null,
    currency          char(3),
    wholesale_total   numeric(14,2),
    shipping_cost     numeric(14,2),
    shipment_id       uuid,
    shipped_at        timestamptz,
    status            varchar(20)   not null default 'OPEN',
    updated_at        timestamptz   not null
);

-- The retailer's invoice, one line per supplier order.
create table invoice_line (
    supplier_order_id uuid          primary key references supplier_order_account (supplier_order_id),
    order_id          uuid          not null,
    order_number      varchar(20),
    retailer_id       varchar(100)  not null,
    supplier_id       varchar(40)   not null,
    plan              varchar(20)   not null,
    currency          char(3)       not null,
    wholesale_total   numeric(14,2) not null,
    shipping_cost     numeric(14,2) not null,
    platform_fee      numeric(14,2) not null,
    retailer_charge   numeric(14,2) not null,
    supplier_payout   numeric(14,2) not null,
    created_at        timestamptz   not null
);
create index invoice_line_retailer on invoice_line (retailer_id, created_at);
create index invoice_line_order on invoice_line (order_id);

-- Double entry: for every supplier order the debits equal the credits.
create table ledger_entry (
    id                bigserial     primary key,
    supplier_order_id uuid          not null,
    account           varchar(40)   not null,
    party_id          varchar(100)  not null,
    debit             numeric(14,2) not null default 0,
    credit            numeric(14,2) not null default 0,
    currency          char(3)       not null,
    created_at        timestamptz   not null
);
create index ledger_entry_supplier_order on ledger_entry (supplier_order_id);
