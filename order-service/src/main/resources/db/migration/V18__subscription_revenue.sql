-- The platform's subscription revenue (settlement-service's SubscriptionChanged with an invoice paid), once per invoice.
create table subscription_revenue (
    invoice_id  varchar(100)  primary key,
    retailer_id varchar(100)  not null,
    plan        varchar(20)   not null,
    amount      numeric(14,2) not null,
    currency    char(3)       not null,
    paid_at     timestamptz   not null
);
create index subscription_revenue_paid on subscription_revenue (paid_at);
