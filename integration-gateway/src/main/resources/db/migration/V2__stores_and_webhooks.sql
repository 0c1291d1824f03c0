-- A retailer's store. Secrets are AES-256-GCM encrypted with dropship.crypto.key.
create table store_connection (
    id                varchar(40)  primary key,
    retailer_id       varchar(100) not null,
    platform          varchar(20)  not null,
    shop_domain       varchar(255) not null,
    webhook_secret    bytea        not null,
    api_token         bytea        not null,
    fulfil_on         varchar(30)  not null,
    status            varchar(20)  not null,
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    unique (platform, shop_domain)
);
create index store_connection_retailer on store_connection (retailer_id);

-- Every verified webhook delivery, kept durably; the unique keys make a redelivery a no-op.
create table webhook_delivery (
    id            bigserial    primary key,
    store_id      varchar(40)  not null references store_connection (id),
    topic         varchar(100) not null,
    delivery_key  varchar(300) not null,
    resource_id   varchar(100),
    triggered_at  timestamptz,
    outcome       varchar(30)  not null,
    detail        varchar(1000),
    body          jsonb        not null,
    received_at   timestamptz  not null,
    unique (store_id, delivery_key)
);
create index webhook_delivery_resource on webhook_delivery (store_id, topic, resource_id, triggered_at);
