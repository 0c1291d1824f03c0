-- Subscriptions through Stripe Billing: each plan's monthly price, supplier limit, what happens past its monthly order
-- limit (OVERAGE: invoiced at the BASIC fee; HOLD: the order waits, with an upgrade hint, until the next month or an
-- upgrade) and its free trial. Admins change them with the fee rule (PUT /api/fee-rules/{plan}).
alter table fee_rule
    add column monthly_price  numeric(12,2) check (monthly_price >= 0),
    add column supplier_limit integer       check (supplier_limit > 0),
    add column over_limit     varchar(10)   not null default 'OVERAGE' check (over_limit in ('OVERAGE', 'HOLD')),
    add column trial_days     integer       not null default 14 check (trial_days >= 0 and trial_days <= 730);
update fee_rule set monthly_price = 29.00, supplier_limit = 5, over_limit = 'HOLD' where plan = 'BASIC';
update fee_rule set monthly_price = 79.00 where plan = 'PRO';
update fee_rule set monthly_order_limit = 500 where plan = 'PRO' and updated_by = 'migration';
-- ENTERPRISE is sold, not tried: no trial, the first month is charged when the retailer subscribes.
update fee_rule set monthly_price = 199.00, trial_days = 0 where plan = 'ENTERPRISE';

-- Each plan's product and monthly price in Stripe. A price's amount never changes in Stripe: a new amount is a new
-- price, which takes over the plan's lookup key.
create table plan_price (
    plan       varchar(20)   primary key,
    product_id varchar(100)  not null,
    price_id   varchar(100)  not null,
    amount     numeric(12,2) not null,
    currency   char(3)       not null,
    updated_at timestamptz   not null
);

-- A retailer's subscription as Stripe last said it (fetched again on each customer.subscription.* event, so the
-- order events arrive in does not matter). grace_until: set by a failed renewal; past it, new orders are held until
-- the subscription is paid again.
create table subscription (
    retailer_id          varchar(100) primary key,
    subscription_id      varchar(100) not null unique,
    customer_id          varchar(100) not null,
    plan                 varchar(20)  not null,
    status               varchar(30)  not null,   -- Stripe's: trialing, active, past_due, incomplete, canceled, unpaid
    trial_end            timestamptz,
    current_period_start timestamptz,
    current_period_end   timestamptz,
    cancel_at_period_end boolean      not null default false,
    payment_failed_at    timestamptz,
    grace_until          timestamptz,
    created_at           timestamptz  not null,
    updated_at           timestamptz  not null
);

-- The subscription's invoices (invoice.* events); a status only moves forward (open -> paid / void / uncollectible).
create table subscription_invoice (
    id                   varchar(100)  primary key,
    retailer_id          varchar(100)  not null,
    subscription_id      varchar(100)  not null,
    billing_reason       varchar(40),
    status               varchar(20)   not null,
    currency             char(3)       not null,
    total                numeric(14,2) not null,
    amount_due           numeric(14,2) not null,
    amount_paid          numeric(14,2) not null,
    period_start         timestamptz,
    period_end           timestamptz,
    attempt_count        integer       not null default 0,
    next_payment_attempt timestamptz,
    charge_id            varchar(100),
    paid_at              timestamptz,                 -- Stripe's (a test clock's time in tests)
    recorded_paid_at     timestamptz,                 -- when this service learnt it was paid: the day it reconciles on
    hosted_invoice_url   varchar(500),
    created              timestamptz   not null,
    updated_at           timestamptz   not null
);
create index subscription_invoice_retailer on subscription_invoice (retailer_id, created);
create index subscription_invoice_recorded on subscription_invoice (recorded_paid_at) where recorded_paid_at is not null;

-- Why a payment is held by the platform rather than by Stripe: PLAN_LIMIT (past the plan's monthly orders) or
-- SUSPENDED (the subscription's grace period ran out). Null for a decline or a missing method.
alter table payment add column hold_reason varchar(20);

-- Subscription revenue has no supplier order: its ledger entries name the Stripe invoice instead.
alter table ledger_entry alter column supplier_order_id drop not null;
alter table ledger_entry add column reference varchar(100);

-- The suppliers behind each of a retailer's listings (ListingChanged): what a plan's supplier limit counts.
create table retailer_listing (
    listing_id   varchar(100) primary key,
    retailer_id  varchar(100) not null,
    supplier_ids text[]       not null,
    active       boolean      not null,
    changed_at   timestamptz  not null
);
create index retailer_listing_retailer on retailer_listing (retailer_id) where active;
