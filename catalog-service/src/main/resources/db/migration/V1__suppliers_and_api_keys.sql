create table supplier (
    id                varchar(40)  primary key,
    company_name      varchar(200) not null,
    contact_email     varchar(200) not null,
    business_type     varchar(20)  not null,
    ship_from_region  varchar(10)  not null,
    status            varchar(20)  not null,
    status_reason     varchar(500),
    created_at        timestamptz  not null,
    updated_at        timestamptz  not null
);
create unique index supplier_contact_email on supplier (lower(contact_email));

-- Only a SHA-256 of each secret is kept; the secret is shown once, when the key is made.
create table supplier_api_key (
    id           varchar(20)  primary key,
    supplier_id  varchar(40)  not null references supplier (id),
    label        varchar(100),
    secret_hash  bytea        not null,
    created_at   timestamptz  not null,
    last_used_at timestamptz,
    revoked_at   timestamptz
);
create index supplier_api_key_supplier on supplier_api_key (supplier_id);
