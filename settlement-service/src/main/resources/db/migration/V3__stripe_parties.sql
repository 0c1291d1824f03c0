-- The parties in Stripe. A retailer is a Stripe customer with a saved payment method, charged off-session; a
-- supplier is a connected (Express) account, paid by transfers; its state follows account.updated.
create table stripe_customer (
    retailer_id            varchar(100) primary key,
    customer_id            varchar(100) not null unique,
    email                  varchar(200),
    default_payment_method varchar(100),
    created_at             timestamptz  not null,
    updated_at             timestamptz  not null
);

create table stripe_account (
    supplier_id       varchar(40)  primary key,
    account_id        varchar(100) not null unique,
    charges_enabled   boolean      not null default false,
    payouts_enabled   boolean      not null default false,
    details_submitted boolean      not null default false,
    status            varchar(20)  not null,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null
);
