alter table supplier_order add column retailer_id varchar(100) not null default '';
alter table supplier_order add column store_order_id varchar(100) not null default '';
alter table supplier_order add column reserved_at timestamptz;

-- One shipment per supplier order for now; the unique key makes a repeated ship call harmless.
create table shipment (
    id                uuid         primary key,
    supplier_order_id uuid         not null unique references supplier_order (id),
    carrier           varchar(100) not null,
    tracking_number   varchar(100) not null,
    tracking_url      varchar(500),
    shipped_at        timestamptz  not null
);
