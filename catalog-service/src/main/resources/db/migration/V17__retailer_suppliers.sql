-- The suppliers behind each retailer's active listings, with how many offers of its active listings each has: a plan's
-- supplier limit is checked against it (Listings.supplierLimit, a listing import's suppliersBeside) instead of reading
-- every active listing of the retailer and its offers (90 ms a request of 250 at 40,000 listings, growing with them).
-- Kept by the triggers below, whoever writes listings or offers; each statement's rows are counted in one upsert
-- ordered by key, so two transactions touching the same retailer's counts lock them in the same order.
create table retailer_supplier (
    retailer_id varchar(100) not null,
    supplier_id varchar(40)  not null,
    active_offers integer    not null,
    primary key (retailer_id, supplier_id)
);

insert into retailer_supplier (retailer_id, supplier_id, active_offers)
select l.retailer_id, o.supplier_id, count(*)
from listing l join listing_offer o on o.listing_id = l.id
where l.status = 'ACTIVE'
group by l.retailer_id, o.supplier_id;

create function retailer_supplier_add(changes jsonb) returns void language sql as $$
    insert into retailer_supplier as r (retailer_id, supplier_id, active_offers)
    select c.retailer_id, c.supplier_id, sum(c.n)
    from jsonb_to_recordset(changes) as c(retailer_id text, supplier_id text, n int)
    group by c.retailer_id, c.supplier_id
    order by c.retailer_id, c.supplier_id
    on conflict (retailer_id, supplier_id) do update set active_offers = r.active_offers + excluded.active_offers
$$;

-- Offers added to or taken from an active listing.
create function retailer_supplier_offers() returns trigger language plpgsql as $$
declare
    changes jsonb;
begin
    if tg_op = 'INSERT' then
        select jsonb_agg(jsonb_build_object('retailer_id', l.retailer_id, 'supplier_id', o.supplier_id, 'n', 1))
        into changes
        from new_offers o join listing l on l.id = o.listing_id where l.status = 'ACTIVE';
    elsif tg_op = 'DELETE' then
        select jsonb_agg(jsonb_build_object('retailer_id', l.retailer_id, 'supplier_id', o.supplier_id, 'n', -1))
        into changes
        from old_offers o join listing l on l.id = o.listing_id where l.status = 'ACTIVE';
    else
        select jsonb_agg(c) into changes from (
            select jsonb_build_object('retailer_id', l.retailer_id, 'supplier_id', o.supplier_id, 'n', -1) as c
            from old_offers o join listing l on l.id = o.listing_id where l.status = 'ACTIVE'
            union all
            select jsonb_build_object('retailer_id', l.retailer_id, 'supplier_id', o.supplier_id, 'n', 1)
            from new_offers o join listing l on l.id = o.listing_id where l.status = 'ACTIVE') x;
    end if;
    if changes is not null then
        perform retailer_supplier_add(changes);
    end if;
    return null;
end $$;

create trigger retailer_supplier_offers_inserted after insert on listing_offer
    referencing new table as new_offers for each statement execute function retailer_supplier_offers();
create trigger retailer_supplier_offers_deleted after delete on listing_offer
    referencing old table as old_offers for each statement execute function retailer_supplier_offers();
create trigger retailer_supplier_offers_updated after update on listing_offer
    referencing old table as old_offers new table as new_offers for each statement
    execute function retailer_supplier_offers();

-- A listing that becomes active or stops being active brings its offers in or takes them out.
create function retailer_supplier_listings() returns trigger language plpgsql as $$
declare
    changes jsonb;
begin
    select jsonb_agg(jsonb_build_object(
               'retailer_id', n.retailer_id, 'supplier_id', o.supplier_id,
               'n', case when n.status = 'ACTIVE' then 1 else -1 end))
    into changes
    from new_listings n
    join old_listings p on p.id = n.id
    join listing_offer o on o.listing_id = n.id
    where (n.status = 'ACTIVE') <> (p.status = 'ACTIVE');
    if changes is not null then
        perform retailer_supplier_add(changes);
    end if;
    return null;
end $$;

create trigger retailer_supplier_listings_updated after update on listing
    referencing old table as old_listings new table as new_listings for each statement
    execute function retailer_supplier_listings();
