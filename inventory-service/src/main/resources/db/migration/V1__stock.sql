-- A supplier product is the supplier's SKU: (supplier_id, sku). on_hand is what the supplier last
-- reported; reserved is what routed supplier orders hold and have not shipped.
create table stock_item (
    supplier_id         varchar(40)  not null,
    sku                 varchar(100) not null,
    on_hand             integer      not null check (on_hand >= 0),
    reserved            integer      not null default 0 check (reserved >= 0),
    supplier_updated_at timestamptz,
    updated_at          timestamptz  not null,
    primary key (supplier_id, sku)
);
