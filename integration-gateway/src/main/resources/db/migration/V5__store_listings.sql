-- A retailer's listing as its store should show it (from ListingChanged), and where the store keeps it: the
-- store's product and variant ids, so an incoming order line maps back to the listing. Synced after commit by
-- the ListingSyncer: PENDING until the store has this version, SYNCED, or ERROR with the store's message
-- (retried with backoff while next_attempt_at is set).
create table store_listing (
    listing_id        varchar(40)   primary key,
    store_id          varchar(40)   not null,
    retailer_id       varchar(100)  not null,
    sku               varchar(100)  not null,
    title             varchar(300)  not null,
    description       text,
    images            jsonb         not null,
    price             numeric(12,2) not null,
    compare_at_price  numeric(12,2),
    currency          char(3),
    status            varchar(20)   not null,
    changed_at        timestamptz   not null,
    store_product_id  varchar(100),
    store_variant_id  varchar(100),
    sync_status       varchar(20)   not null,
    last_error        varchar(1000),
    attempts          int           not null default 0,
    next_attempt_at   timestamptz,
    lease_until       timestamptz,
    synced_at         timestamptz,
    updated_at        timestamptz   not null
);
create index store_listing_due on store_listing (next_attempt_at) where next_attempt_at is not null;
create index store_listing_store on store_listing (store_id, sku);
create index store_listing_variant on store_listing (store_id, store_variant_id);
