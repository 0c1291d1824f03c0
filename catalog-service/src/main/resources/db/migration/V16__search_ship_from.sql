-- Words with a ship-from region, sorted by price: the region is the supplier's, so the planner could neither estimate
-- nor index it; it walked the price index and checked each product's supplier until a page was full (1.5 s at p95
-- with 2,000,000 products). Each product now carries its supplier's region as a path ('US-CA' -> {US, US-CA}: a
-- filter on US takes its sub-regions), in the one GIN index with the words and the category path, so the three are
-- intersected inside the index and the price sort reads only the matches.
-- A supplier's region is set when it registers (catalog-service never changes it); a product takes it when it is
-- first written (SupplierProducts.upsert).
--
-- Filling the column rewrites every row. Run where the old index is still there, the migration drops the two GIN
-- indexes first and rebuilds them and the b-trees after the update, instead of updating them row by row: at 3,100,000
-- products that took 5 minutes and left the trigram and price indexes twice their size. Written to be re-run safely:
-- a large catalog can be migrated by hand ahead of a deploy (psql -f this file), and the re-run at deploy only fills
-- the products written in between.
create or replace function region_path(region text) returns text[]
    language sql immutable parallel safe
    return case when region is null or region = '' then '{}'::text[] else array(
        select array_to_string((string_to_array(region, '-'))[1:n], '-')
        from generate_series(1, cardinality(string_to_array(region, '-'))) as n) end;

alter table supplier_product add column if not exists ship_from text[] not null default '{}';

do $$
declare
    first_run boolean := to_regclass('supplier_product_search_category') is not null;
begin
    if first_run then
        drop index supplier_product_search_category;
        drop index if exists supplier_product_trgm;
    end if;
    update supplier_product p
    set ship_from = r.path
    from (select id, region_path(ship_from_region) as path from supplier) r
    where r.id = p.supplier_id and p.ship_from is distinct from r.path;
    if first_run then
        reindex table supplier_product;
    end if;
end
$$;

create index if not exists supplier_product_trgm on supplier_product using gin (title gin_trgm_ops);
create index if not exists supplier_product_search_facets
    on supplier_product using gin (search, category_path, ship_from);

analyze supplier_product;
