-- Stock out to stores. Which supplier products stand behind each listing (from ListingChanged), the stock of each
-- (from StockChanged), each retailer's own settings, and per listing the quantity its store should show and the
-- quantity it was last known to show. A listing whose target differs from what was last sent is pending; however
-- many changes arrive before its turn, one call sends the latest target.

create table listing_offer (
    listing_id          varchar(40)  not null,
    supplier_product_id varchar(200) not null,
    priority            integer      not null,
    primary key (listing_id, supplier_product_id)
);
create index listing_offer_product on listing_offer (supplier_product_id);

create table supplier_stock (
    supplier_product_id varchar(200) primary key,
    available           integer      not null,
    shown               integer      not null,
    show_percent        integer      not null,
    low_stock           boolean      not null,
    changed_at          timestamptz  not null
);
create index supplier_stock_low on supplier_stock (supplier_product_id) where low_stock;

create table retailer_stock_settings (
    retailer_id         varchar(100) primary key,
    show_percent        integer check (show_percent between 0 and 100),
    out_of_stock_action varchar(10)  not null check (out_of_stock_action in ('ZERO', 'HIDE')),
    updated_at          timestamptz  not null
);

alter table store_listing
    add column inventory_item_id varchar(100),
    add column stock_target      integer,
    add column stock_in_store    integer,
    add column stock_hidden      boolean not null default false,
    add column stock_pending     boolean not null default false,
    add column stock_version     bigint  not null default 0,
    add column stock_next_at     timestamptz,
    add column stock_lease_until timestamptz,
    add column stock_attempts    integer not null default 0,
    add column stock_error       varchar(1000),
    add column stock_changed_at  timestamptz,
    add column stock_synced_at   timestamptz;
create index store_listing_stock_due on store_listing (stock_next_at) where stock_pending;

-- The shop's location that stock is set at (Shopify), looked up once.
alter table store_connection add column stock_location_id varchar(100),
    add column stock_reconciled_at timestamptz;
