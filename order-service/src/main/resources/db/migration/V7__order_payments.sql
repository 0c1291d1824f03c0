-- The retailer's payments for an order as settlement-service reports them (PaymentCleared, PaymentFailed), so that
-- the order shows why its supplier orders have not gone to their suppliers yet.
create table order_payment (
    payment_id      uuid          primary key,
    order_id        uuid          not null,
    credit_at       timestamptz,                 -- cleared on the retailer's credit terms
    charged_at      timestamptz,                 -- the charge went through
    failed_at       timestamptz,                 -- the latest failed attempt
    problem         varchar(500),
    decline_code    varchar(60),
    next_attempt_at timestamptz
);
create index order_payment_order on order_payment (order_id);
