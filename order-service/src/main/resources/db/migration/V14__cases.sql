-- Cases: something went wrong with a delivered or shipped order (a missing parcel, a damaged or wrong item, a late
-- delivery; a card dispute), opened by the retailer, the supplier or support on an order or one of its supplier
-- orders, worked through messages between the parties, and closed with an outcome the platform carries out.
create table order_case (
    id                  uuid          primary key,
    order_id            uuid          not null references customer_order (id),
    supplier_order_id   uuid          references supplier_order (id),
    retailer_id         varchar(100)  not null,
    supplier_id         varchar(40),
    kind                varchar(30)   not null check (kind in ('MISSING_PARCEL', 'DAMAGED_ITEM', 'WRONG_ITEM', 'LATE_DELIVERY', 'DISPUTE')),
    status              varchar(30)   not null check (status in ('OPEN', 'WAITING_ON_SUPPLIER', 'WAITING_ON_RETAILER', 'RESOLVED')),
    subject             varchar(300)  not null,
    opened_by_role      varchar(20)   not null,
    opened_by           varchar(200)  not null,
    outcome             varchar(20)   check (outcome in ('REFUND', 'RESHIP', 'NO_ACTION')),
    refund_amount       numeric(14,2),
    charge_to           varchar(20),
    outcome_note        varchar(1000),
    reship_supplier_order_id uuid,
    resolved_by         varchar(200),
    opened_at           timestamptz   not null,
    updated_at          timestamptz   not null,
    resolved_at         timestamptz
);
create index order_case_order on order_case (order_id);
create index order_case_retailer on order_case (retailer_id, opened_at desc);
create index order_case_supplier on order_case (supplier_id, opened_at desc);
create index order_case_open on order_case (status) where status <> 'RESOLVED';

create table case_message (
    id           bigserial      primary key,
    case_id      uuid           not null references order_case (id),
    author_role  varchar(20)    not null,
    author       varchar(200)   not null,
    body         varchar(4000)  not null,
    attachments  jsonb          not null default '[]',
    at           timestamptz    not null
);
create index case_message_case on case_message (case_id, id);

-- A supplier order that reships another at no charge to the retailer (a case's outcome): it is not charged, its
-- supplier is not paid for it, and a refusal or rejection reopens the case instead of routing it elsewhere.
alter table supplier_order add column reship_of uuid;
