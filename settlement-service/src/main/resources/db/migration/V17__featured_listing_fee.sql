-- The featured listing fee: while an admin features a supplier in the directory (catalog-service's SupplierFeatured),
-- the platform keeps this percentage of what the supplier is paid for each of its supplier orders invoiced then. 0: no
-- fee (the default). The retailer's charge does not change; the supplier's payout is that much less.
create table listing_fee_rule (
    kind       varchar(20)  primary key check (kind = 'FEATURED'),
    percent    numeric(6,3) not null check (percent >= 0 and percent <= 100),
    updated_at timestamptz  not null,
    updated_by varchar(200) not null
);
insert into listing_fee_rule values ('FEATURED', 0, now(), 'migration');

create table supplier_feature (
    supplier_id    varchar(100) primary key,
    featured_until timestamptz,
    changed_at     timestamptz  not null
);

-- A supplier order's listing fee: part of the platform's revenue (platform_fee holds the retailer's fee plus it), out
-- of the supplier's payout. The invoice line keeps the retailer's fee alone.
alter table supplier_order_account add column listing_fee numeric(14,2) not null default 0;
alter table invoice_line add column listing_fee numeric(14,2) not null default 0;
