-- One-click store connections (StoreInstalls): a retailer's pending Shopify app install or WooCommerce key request,
-- found again by its state nonce when the store comes back; used once, and only before it expires.
create table store_install (
    state        varchar(64)   primary key,
    retailer_id  varchar(64)   not null,
    platform     varchar(20)   not null,
    shop_domain  varchar(255)  not null,
    created_at   timestamptz   not null,
    expires_at   timestamptz   not null,
    used_at      timestamptz,
    store_id     varchar(40)
);
create index store_install_expiry on store_install (expires_at);

-- The webhooks the platform created at a store (Shopify subscriptions, WooCommerce webhooks), deleted on disconnect.
create table store_webhook (
    store_id    varchar(40)   not null references store_connection (id),
    remote_id   varchar(200)  not null,
    topic       varchar(60)   not null,
    created_at  timestamptz   not null,
    primary key (store_id, remote_id)
);
