-- A supplier order goes to its supplier only once its payment is cleared: charged, or covered by credit terms the
-- platform gave the retailer. cleared_at is set once; PaymentCleared tells fulfillment-service in the same transaction.
alter table payment add column cleared_at timestamptz;
alter table payment add column cleared_basis varchar(10);   -- CHARGED, CREDIT

-- Credit terms (ADMIN): supplier orders of this retailer, in this currency, are dispatched before their payment is
-- taken as long as the payments dispatched that way and not yet taken stay within the limit. No row: no credit.
create table retailer_credit (
    retailer_id  varchar(100)  primary key,
    currency     char(3)       not null,
    credit_limit numeric(14,2) not null check (credit_limit >= 0),
    updated_by   varchar(100)  not null,
    updated_at   timestamptz   not null
);
create index payment_on_credit on payment (retailer_id) where cleared_basis = 'CREDIT' and status in ('DUE', 'ON_HOLD');
