-- The money flow: one charge per order, one transfer per supplier order, refunds for what never ships.

-- What settlement knows of a supplier order now also says which routing made it (so that the order is charged once
-- its first routing's supplier orders are all reserved or refused), what it costs each party, and where its money is.
alter table supplier_order_account
    add column attempt           int,
    add column routed_together   int,
    add column reservation       varchar(10),   -- RESERVED or REFUSED, once inventory answered
    add column plan              varchar(20),
    add column platform_fee      numeric(14,2),
    add column retailer_charge   numeric(14,2),
    add column supplier_payout   numeric(14,2),
    add column payment_id        uuid,          -- the payment that charges it
    add column cancelled_at      timestamptz,
    add column cancel_reason     varchar(300),
    add column transfer_id       varchar(100),
    add column transferred_at    timestamptz,
    add column money_attempts    int           not null default 0,  -- the Stripe call it waits for: its transfer,
    add column money_next_at     timestamptz,                       -- or its refund once cancelled
    add column money_error       varchar(500),
    add column money_key_gen     int           not null default 0,  -- bumped when Stripe refused a call: a new key
    add column refund_id         varchar(100),
    add column transfer_reversed numeric(14,2) not null default 0,  -- from transfer.reversed
    add column refunded_at       timestamptz;
create index supplier_order_account_order on supplier_order_account (order_id);
-- What StripeCalls looks at every second: only rows with a Stripe call due (a transfer or a refund).
create index supplier_order_account_money_due on supplier_order_account (money_next_at) where money_next_at is not null;
-- Status: OPEN (amounts or shipment still to come), INVOICED (in a payment), SETTLED (the supplier is paid),
-- CANCELLED (never shipped; refunded if it had been charged), REFUSED (no stock; routed again as another one).

-- A charge to the retailer: one per order (id = the order id), or one per supplier order routed after the order
-- was charged (id = that supplier order's id). Its amount never changes once made: what is cancelled is refunded.
create table payment (
    id                uuid          primary key,
    order_id          uuid          not null,
    order_number      varchar(20),
    retailer_id       varchar(100)  not null,
    currency          char(3)       not null,
    amount            numeric(14,2) not null,
    status            varchar(20)   not null,   -- DUE, SUCCEEDED, ON_HOLD, CANCELLED
    declines          int           not null default 0,
    attempts          int           not null default 0,
    next_attempt_at   timestamptz,
    last_error        varchar(500),
    decline_code      varchar(60),
    payment_intent_id varchar(100),
    charge_id         varchar(100),
    refunded          numeric(14,2) not null default 0,
    succeeded_at      timestamptz,
    created_at        timestamptz   not null,
    updated_at        timestamptz   not null
);
create index payment_retailer on payment (retailer_id, created_at);
create index payment_due on payment (next_attempt_at) where status in ('DUE', 'ON_HOLD');
create index payment_intent on payment (payment_intent_id);

-- Stripe's webhook events, once each (Stripe delivers at least once, for days, in any order).
create table stripe_event (
    id          varchar(100) primary key,
    type        varchar(60)  not null,
    created     timestamptz  not null,
    received_at timestamptz  not null
);

-- Where account.updated left a connected account, so that an older event never undoes a newer one.
alter table stripe_account add column stripe_updated_at timestamptz;

-- Payouts from a supplier's connected account to its bank, from payout.paid and payout.failed.
create table payout (
    id            varchar(100)  primary key,
    account_id    varchar(100)  not null,
    amount        numeric(14,2) not null,
    currency      char(3)       not null,
    status        varchar(20)   not null,
    arrival_date  date,
    failure       varchar(300),
    event_created timestamptz   not null,
    updated_at    timestamptz   not null
);
create index payout_account on payout (account_id, arrival_date);
