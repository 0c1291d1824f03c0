-- The sales analytics by day: each retailer's day summed once per dimension (NONE, STORE, LISTING, PRODUCT, SUPPLIER),
-- so a year's report reads at most 365 rows per group instead of every line. sales_day_refresh(retailer, day) sums the
-- day again from sales_line and sales_supplier_order; the projection calls it for each day an event touches (under
-- the day's lock). Orders are counted per day: an order whose lines were routed on two days counts on both.
create table sales_day (
    retailer_id    varchar(100)   not null,
    dim            varchar(10)    not null,
    day            date           not null,
    currency       char(3)        not null,
    grp            varchar(200)   not null,
    label          varchar(300),
    orders         bigint         not null,
    units          bigint         not null,
    revenue        numeric(16,2)  not null,
    cost           numeric(16,2)  not null,
    fees           numeric(16,2)  not null,
    ship_hours     numeric(18,2)  not null,   -- summed over the shipped lines
    shipped_lines  bigint         not null,
    primary key (retailer_id, dim, day, currency, grp)
);

create or replace function sales_day_refresh(r text, d date) returns void
    language sql
as $$
    delete from sales_day where retailer_id = r and day = d;
    insert into sales_day (retailer_id, dim, day, currency, grp, label, orders, units, revenue, cost, fees, ship_hours,
                           shipped_lines)
    select r, x.dim, d, l.currency, x.grp, case when x.dim in ('LISTING', 'PRODUCT') then max(l.title) end,
           count(distinct l.order_id), sum(l.quantity), sum(l.revenue), sum(l.cost),
           coalesce(sum(round(so.fee * l.cost / nullif(so.cost_total, 0), 2)), 0),
           coalesce(sum(extract(epoch from so.shipped_at - l.routed_at) / 3600), 0), count(so.shipped_at)
    from sales_line l
    left join sales_supplier_order so on so.supplier_order_id = l.supplier_order_id
    cross join lateral (values ('NONE', ''), ('STORE', coalesce(l.store_id, '')), ('LISTING', coalesce(l.listing_id, '')),
                               ('PRODUCT', l.supplier_id || ':' || l.sku), ('SUPPLIER', l.supplier_id)) as x(dim, grp)
    where l.retailer_id = r and l.routed_at >= d::timestamp at time zone 'UTC'
      and l.routed_at < (d + 1)::timestamp at time zone 'UTC' and not coalesce(so.void, false)
    group by x.dim, l.currency, x.grp;
$$;

-- The days already projected.
select sales_day_refresh(retailer_id, day)
from (select distinct retailer_id, cast(routed_at at time zone 'UTC' as date) as day from sales_line) days;
