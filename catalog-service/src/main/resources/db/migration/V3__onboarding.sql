-- What a retailer and the router need to know about a supplier beyond its name.
alter table supplier
    add column contact_name        varchar(200),
    add column contact_phone       varchar(40),
    add column shipping_methods    varchar(300) not null default 'STANDARD',
    add column handling_days       integer      not null default 2 check (handling_days between 0 and 60),
    add column minimum_order_value numeric(12,2) not null default 0 check (minimum_order_value >= 0);

-- The checks an admin works through before a supplier may sell. One row per step, OPEN until checked.
create table supplier_verification (
    supplier_id varchar(40)  not null references supplier (id),
    step        varchar(40)  not null,
    outcome     varchar(10)  not null,
    note        varchar(500),
    checked_by  varchar(100),
    checked_at  timestamptz,
    primary key (supplier_id, step)
);

-- Every status change, who made it and why.
create table supplier_status_change (
    id          bigserial    primary key,
    supplier_id varchar(40)  not null references supplier (id),
    from_status varchar(20),
    to_status   varchar(20)  not null,
    reason      varchar(500),
    changed_by  varchar(100) not null,
    changed_at  timestamptz  not null
);
create index supplier_status_change_supplier on supplier_status_change (supplier_id, id);

-- Suppliers approved before the steps existed keep their standing.
insert into supplier_verification (supplier_id, step, outcome, note, checked_by, checked_at)
select s.id, step, case when s.status = 'PENDING' then 'OPEN' else 'PASSED' end,
       case when s.status = 'PENDING' then null else 'approved before verification steps existed' end,
       case when s.status = 'PENDING' then null else 'migration' end,
       case when s.status = 'PENDING' then null else now() end
from supplier s cross join (values ('BUSINESS_REGISTRATION'), ('TAX_ID'), ('PAYOUT_ACCOUNT'), ('PRODUCT_SAMPLE')) v(step);

-- A rotated key keeps working until its grace period ends.
alter table supplier_api_key
    add column expires_at  timestamptz,
    add column replaced_by varchar(20);
