-- A supplier's minimum advertised price: a retailer's price never goes below it when its rule respects MAP.
alter table supplier_product add column map_price numeric(12,2) check (map_price >= 0);

-- A retailer's pricing rule (docs: catalog-service/README.md, "Pricing rules"). No row: the default rule.
create table pricing_rule (
    retailer_id        varchar(100)  primary key,
    method             varchar(20)   not null,
    amount             numeric(12,4) not null,
    min_margin_percent numeric(5,2),
    cap_at_msrp        boolean       not null,
    respect_map        boolean       not null,
    price_ending       numeric(3,2),
    tolerance_percent  numeric(6,2)  not null,
    updated_at         timestamptz   not null
);

-- Where a listing is sold and at what price, as its rule priced it from its primary offer's landed cost.
alter table listing
    add column store_id         varchar(40),
    add column retail_price     numeric(12,2),
    add column compare_at_price numeric(12,2),
    add column currency         char(3),
    add column landed_cost      numeric(12,2);

create index listing_offer_product on listing_offer (supplier_id, sku);

-- A re-price bigger than the retailer's tolerance waits here for the retailer; one open change per listing.
create table listing_price_change (
    id             bigserial     primary key,
    listing_id     varchar(40)   not null references listing (id),
    retailer_id    varchar(100)  not null,
    old_price      numeric(12,2),
    new_price      numeric(12,2) not null,
    old_cost       numeric(12,2),
    new_cost       numeric(12,2) not null,
    change_percent numeric(9,2)  not null,
    reason         varchar(500)  not null,
    status         varchar(20)   not null,
    created_at     timestamptz   not null,
    decided_at     timestamptz,
    decided_by     varchar(100)
);
create unique index listing_price_change_open on listing_price_change (listing_id) where status = 'PENDING';
create index listing_price_change_retailer on listing_price_change (retailer_id, status, id);
