-- The platform fee per subscription plan: a fixed amount per supplier order plus a percentage of what
-- the retailer pays for goods and shipping. Admins change them through the API.
create table fee_rule (
    plan                varchar(20)   primary key,
    fixed_fee           numeric(12,2) not null check (fixed_fee >= 0),
    percent             numeric(6,3)  not null check (percent >= 0 and percent <= 100),
    monthly_order_limit integer       check (monthly_order_limit > 0),
    currency            char(3)       not null,
    updated_at          timestamptz   not null,
    updated_by          varchar(200)  not null
);
insert into fee_rule values ('BASIC',      0.50, 3.000, 100,  'USD', now(), 'migration');
insert into fee_rule values ('PRO',        0.30, 2.000, 1000, 'USD', now(), 'migration');
insert into fee_rule values ('ENTERPRISE', 0.00, 1.500, null, 'USD', now(), 'migration');
