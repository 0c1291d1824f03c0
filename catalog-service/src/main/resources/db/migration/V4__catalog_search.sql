-- The product blueprint: what a retailer needs to choose, list and price a product.
create extension if not exists pg_trgm;

alter table supplier_product
    add column msrp           numeric(12,2) check (msrp >= 0),
    add column images         jsonb        not null default '[]',
    add column category       varchar(200),
    add column weight_grams   integer      check (weight_grams >= 0),
    add column shipping_class varchar(40),
    add column attributes     jsonb        not null default '{}',
    add column in_stock       boolean      not null default false,
    add column created_at     timestamptz  not null default now(),
    -- Full-text document: the title weighs more than the description.
    add column search         tsvector generated always as (
        setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(left(description, 4000), '')), 'B')) stored;

-- Full-text search, typo-tolerant title search, and one index per sort order so that pages are read in order.
create index supplier_product_search   on supplier_product using gin (search);
create index supplier_product_trgm     on supplier_product using gin (title gin_trgm_ops);
create index supplier_product_price    on supplier_product (wholesale_price, supplier_id, sku);
create index supplier_product_newest   on supplier_product (created_at, supplier_id, sku);
create index supplier_product_category on supplier_product (category text_pattern_ops);

-- Available stock per product, as inventory-service publishes it (StockChanged). Kept apart from the product row so
-- that a busy stream of stock changes does not rewrite the product and its search indexes; the product's in_stock
-- flag changes only when a product runs out or comes back.
create table product_stock (
    supplier_id varchar(40)  not null,
    sku         varchar(100) not null,
    available   integer      not null,
    changed_at  timestamptz  not null,
    primary key (supplier_id, sku)
);
