-- The supplier directory retailers browse: each supplier's public profile (kept by the supplier), whether an admin
-- features it (premium placement, until a date), and what other services say of it: its rating (order-service's
-- SupplierScored) and its return policy (settlement-service's ReturnPolicyChanged), the newest of each kept.
create table supplier_profile (
    supplier_id        varchar(40)    primary key references supplier (id),
    slug               varchar(60)    not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    logo_url           varchar(500),
    description        varchar(2000),
    website            varchar(300),
    ship_from_regions  text[]         not null default '{}',
    featured_until     timestamptz,
    featured_by        varchar(200),
    rating             numeric(4,3),
    on_time_rate       numeric(4,3),
    case_rate          numeric(4,3),
    scored_orders      bigint,
    scored_at          timestamptz,
    return_policy      jsonb,
    return_policy_at   timestamptz,
    updated_at         timestamptz    not null
);
create unique index supplier_profile_slug on supplier_profile (slug);
create index supplier_profile_search on supplier_profile using gin (to_tsvector('simple', coalesce(description, '')));
