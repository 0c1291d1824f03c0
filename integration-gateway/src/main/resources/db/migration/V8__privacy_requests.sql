-- A customer's or a store's privacy request (Shopify's customers/redact, customers/data_request, shop/redact, or a
-- retailer's request through the API), and each service's answer to it, part by part (PrivacyRequestDone).
create table privacy_request (
    id                uuid         primary key,
    kind              varchar(20)  not null,   -- REDACT_CUSTOMER | EXPORT_CUSTOMER | REDACT_STORE
    source            varchar(20)  not null,   -- SHOPIFY | API
    retailer_id       varchar(100) not null,
    store_id          varchar(100) not null,   -- a connected store, or a retailer's default custom store
    customer_email    varchar(200),            -- masked once an erasure is complete
    store_order_ids   jsonb        not null,
    shopify_request   varchar(100),            -- Shopify's data_request.id, for the retailer to match
    status            varchar(20)  not null,   -- IN_PROGRESS | COMPLETED
    gateway_records   int          not null,   -- rows the gateway itself erased or exported
    gateway_data      jsonb,
    requested_at      timestamptz  not null,
    completed_at      timestamptz,
    data_purged_at    timestamptz
);
create index privacy_request_retailer on privacy_request (retailer_id, requested_at desc, id);
create index privacy_request_open on privacy_request (requested_at) where status = 'IN_PROGRESS';

create table privacy_request_part (
    request_id     uuid         not null references privacy_request (id),
    service        varchar(40)  not null,
    part           int          not null,
    parts          int          not null,
    order_ids      jsonb        not null,
    kept_order_ids jsonb        not null default '[]'::jsonb,
    records        int          not null,
    data           jsonb,
    done_at        timestamptz  not null,
    primary key (request_id, service, part)
);
