alter table supplier_order add column carrier varchar(100);
alter table supplier_order add column tracking_number varchar(100);
alter table supplier_order add column tracking_url varchar(500);
alter table supplier_order add column shipped_at timestamptz;
