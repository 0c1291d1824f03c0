-- Card disputes (Stripe charge.dispute.*): one row per dispute, kept to the newest event, tied to the payment it
-- disputes. While a dispute of a payment is open its supplier orders' transfers wait; the outcome is booked.
create table dispute (
    id                     varchar(100)  primary key,
    charge_id              varchar(100)  not null,
    payment_id             uuid,
    order_id               uuid,
    retailer_id            varchar(100),
    amount                 numeric(14,2) not null,
    currency               char(3)       not null,
    reason                 varchar(60),
    status                 varchar(30)   not null,
    evidence_due_by        timestamptz,
    evidence_submitted_at  timestamptz,
    evidence_submitted_by  varchar(200),
    evidence_attempts      int           not null default 0,
    event_created          timestamptz   not null,
    opened_at              timestamptz   not null,
    closed_at              timestamptz,
    outcome                varchar(10)
);
create index dispute_open_payment on dispute (payment_id) where closed_at is null;
