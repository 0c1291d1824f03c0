-- What Stripe moved for each dispute: its balance transactions as the dispute lists them (the withdrawal of the
-- disputed amount with the dispute fee; the reinstatement, with the fee given back, when it is won). Each is booked in
-- the ledger once (booked: the dispute's payment was known) and matched in the daily reconciliation.
create table dispute_movement (
    balance_transaction_id  varchar(100)  primary key,
    dispute_id              varchar(100)  not null references dispute (id),
    amount                  numeric(14,2) not null,   -- signed, as Stripe's balance moved: negative when withdrawn
    fee                     numeric(14,2) not null,   -- the dispute fee, negative when given back
    currency                char(3)       not null,   -- the balance's
    created_at              timestamptz   not null,   -- Stripe's
    booked                  boolean       not null default false
);
create index dispute_movement_dispute on dispute_movement (dispute_id);
create index dispute_movement_created on dispute_movement (created_at);

-- Supplier transfers taken back while a dispute whose reason is the supplier's to answer for is open (policy:
-- dropship.settlement.disputes.reverse-transfers-for), the supplier's share of the disputed amount per supplier order.
--   HELD         the supplier order is not paid yet: its transfer waits for the dispute anyway
--   REVERSE_DUE  the reversal is to be made (once the transfer exists)
--   REVERSED     taken back, the dispute still open
--   REPAY_DUE    the dispute was won: the supplier is to be paid the amount again
--   REPAID       paid again
--   KEPT         the dispute was lost: the supplier bore its share
--   RELEASED     won before anything was taken back
create table dispute_reversal (
    dispute_id          varchar(100)  not null references dispute (id),
    supplier_order_id   uuid          not null,
    supplier_id         varchar(100)  not null,
    order_id            uuid          not null,
    currency            char(3)       not null,
    amount              numeric(14,2) not null check (amount > 0),
    status              varchar(20)   not null,
    reversal_id         varchar(100),
    reversed_at         timestamptz,
    repay_transfer_id   varchar(100),
    repaid_at           timestamptz,
    attempts            int           not null default 0,
    key_gen             int           not null default 0,
    next_at             timestamptz,
    last_error          varchar(500),
    created_at          timestamptz   not null,
    updated_at          timestamptz   not null,
    primary key (dispute_id, supplier_order_id)
);
create index dispute_reversal_due on dispute_reversal (next_at) where status in ('REVERSE_DUE', 'REPAY_DUE');
