-- What a supplier gives back when a shipped order comes back: within how many days of shipping, whether shipping is
-- refunded, and a restocking fee kept from the wholesale. No row: returns within 30 days, wholesale only, no fee.
create table supplier_return_policy (
    supplier_id            varchar(40)  primary key,
    accepts_returns        boolean      not null,
    window_days            int          not null,
    refund_shipping        boolean      not null,
    restocking_fee_percent numeric(5,2) not null,
    updated_at             timestamptz  not null
);

-- A returned supplier order: the supplier's transfer is reversed by what its policy gives back, and the retailer is
-- refunded that much from the order's charge (the platform keeps its fee). StripeCalls makes both calls.
create table supplier_order_return (
    id                uuid          primary key,
    supplier_order_id uuid          not null unique references supplier_order_account (supplier_order_id),
    order_id          uuid          not null,
    retailer_id       varchar(100)  not null,
    supplier_id       varchar(40)   not null,
    reason            varchar(300)  not null,
    currency          char(3)       not null,
    restocking_fee    numeric(14,2) not null,
    amount            numeric(14,2) not null,   -- reversed from the supplier and refunded to the retailer
    status            varchar(20)   not null,   -- DUE, DONE
    reversal_id       varchar(100),
    refund_id         varchar(100),
    attempts          int           not null default 0,
    key_gen           int           not null default 0,   -- bumped when Stripe refused a call: a new idempotency key
    next_at           timestamptz,
    last_error        varchar(500),
    requested_by      varchar(100)  not null,
    created_at        timestamptz   not null,
    updated_at        timestamptz   not null
);
create index supplier_order_return_due on supplier_order_return (next_at) where status = 'DUE';
