-- Weekly (ISO, from Monday) and monthly sums beside the daily ones, so that a year's report by product, listing or
-- supplier reads a row per whole week or month and group (not one per day). They are kept by difference: when
-- sales_day_refresh sums a day again, what changed in each of its groups is added to the group's week and month, so
-- an event costs a few row updates there, never a re-sum of a month. Every column is a plain sum, so the difference is
-- exact (the hours to ship are rounded to the column's scale before they are compared). A group whose lines all left
-- (a cancellation) keeps a row of zeros: reports read orders > 0.
--
-- Beside the retailer's fee, the platform's other revenue from an order: a featured supplier's listing fee
-- (Settled.listingFee), shared among the supplier order's lines as the fee is, for the platform's report. Supplier
-- orders settled before this have none recorded. The platform's report counts the retailers who sold in a period from
-- their sums in all (dimension NONE), hence the indexes by period.
alter table sales_supplier_order add column listing_fee numeric(14,2);
alter table sales_day add column listing_fees numeric(16,2) not null default 0;
create index sales_day_sellers on sales_day (day) where dim = 'NONE';
-- A supplier's own report reads its lines.
create index sales_line_supplier on sales_line (supplier_id, routed_at);

create table sales_period (
    retailer_id    varchar(100)   not null,
    dim            varchar(10)    not null,
    unit           varchar(5)     not null,   -- WEEK or MONTH
    period         date           not null,   -- its first day
    currency       char(3)        not null,
    grp            varchar(200)   not null,
    label          varchar(300),
    orders         bigint         not null,
    units          bigint         not null,
    revenue        numeric(16,2)  not null,
    cost           numeric(16,2)  not null,
    fees           numeric(16,2)  not null,
    listing_fees   numeric(16,2)  not null,
    ship_hours     numeric(18,2)  not null,
    shipped_lines  bigint         not null,
    primary key (retailer_id, dim, unit, period, currency, grp)
) partition by list (unit);
-- A partition per unit keeps a year of months on a few pages, not spread among the weeks.
create table sales_week partition of sales_period for values in ('WEEK');
create table sales_month partition of sales_period for values in ('MONTH');
create index sales_period_sellers on sales_period (unit, period) where dim = 'NONE';

-- The platform's own sums across retailers, by day, week and month, for the admin's report: in all (NONE), by product
-- and by supplier. Kept by the same differences, so that the platform's year is a row per period (and per product or
-- supplier), however many retailers sold. Each event changes one retailer's day (a supplier order is routed at one
-- moment) and writes these rows in one statement in key order, so two retailers' events wait for each other here but
-- never deadlock.
create table platform_period (
    dim            varchar(10)    not null,
    unit           varchar(5)     not null,   -- DAY, WEEK or MONTH
    period         date           not null,
    currency       char(3)        not null,
    grp            varchar(200)   not null,
    label          varchar(300),
    orders         bigint         not null,
    units          bigint         not null,
    revenue        numeric(18,2)  not null,
    fees           numeric(18,2)  not null,
    listing_fees   numeric(18,2)  not null,
    primary key (dim, unit, period, currency, grp)
) partition by list (unit);
create table platform_day partition of platform_period for values in ('DAY');
create table platform_week partition of platform_period for values in ('WEEK');
create table platform_month partition of platform_period for values in ('MONTH');

-- The day summed again from sales_line and sales_supplier_order; its difference to what sales_day held goes to the
-- retailer's week and month and to the platform's day, week and month. The caller holds the retailer's lock (the rows of one week or month are shared by its days).
create or replace function sales_day_refresh(r text, d date) returns void
    language sql
as $$
    with fresh as (
        select x.dim, l.currency, x.grp, case when x.dim in ('LISTING', 'PRODUCT') then max(l.title) end as label,
               count(distinct l.order_id) as orders, sum(l.quantity) as units, sum(l.revenue) as revenue,
               sum(l.cost) as cost, coalesce(sum(round(so.fee * l.cost / nullif(so.cost_total, 0), 2)), 0) as fees,
               coalesce(sum(round(so.listing_fee * l.cost / nullif(so.cost_total, 0), 2)), 0) as listing_fees,
               round(coalesce(sum(extract(epoch from so.shipped_at - l.routed_at) / 3600), 0), 2) as ship_hours,
               count(so.shipped_at) as shipped_lines
        from sales_line l
        left join sales_supplier_order so on so.supplier_order_id = l.supplier_order_id
        cross join lateral (values ('NONE', ''), ('STORE', coalesce(l.store_id, '')), ('LISTING', coalesce(l.listing_id, '')),
                                   ('PRODUCT', l.supplier_id || ':' || l.sku), ('SUPPLIER', l.supplier_id)) as x(dim, grp)
        where l.retailer_id = r and l.routed_at >= d::timestamp at time zone 'UTC'
          and l.routed_at < (d + 1)::timestamp at time zone 'UTC' and not coalesce(so.void, false)
        group by x.dim, l.currency, x.grp
    ),
    old as (
        select dim, currency, grp, orders, units, revenue, cost, fees, listing_fees, ship_hours, shipped_lines
        from sales_day where retailer_id = r and day = d
    ),
    delta as (
        select coalesce(f.dim, o.dim) as dim, coalesce(f.currency, o.currency) as currency, coalesce(f.grp, o.grp) as grp,
               f.label,
               coalesce(f.orders, 0) - coalesce(o.orders, 0) as orders, coalesce(f.units, 0) - coalesce(o.units, 0) as units,
               coalesce(f.revenue, 0) - coalesce(o.revenue, 0) as revenue, coalesce(f.cost, 0) - coalesce(o.cost, 0) as cost,
               coalesce(f.fees, 0) - coalesce(o.fees, 0) as fees,
               coalesce(f.listing_fees, 0) - coalesce(o.listing_fees, 0) as listing_fees,
               coalesce(f.ship_hours, 0) - coalesce(o.ship_hours, 0) as ship_hours,
               coalesce(f.shipped_lines, 0) - coalesce(o.shipped_lines, 0) as shipped_lines
        from fresh f
        full join old o on o.dim = f.dim and o.currency = f.currency and o.grp = f.grp
    ),
    gone as (
        delete from sales_day s
        where s.retailer_id = r and s.day = d
          and not exists (select 1 from fresh f where f.dim = s.dim and f.currency = s.currency and f.grp = s.grp)
    ),
    kept as (
        insert into sales_day (retailer_id, dim, day, currency, grp, label, orders, units, revenue, cost, fees, listing_fees,
                               ship_hours, shipped_lines)
        select r, dim, d, currency, grp, label, orders, units, revenue, cost, fees, listing_fees, ship_hours, shipped_lines
        from fresh
        on conflict (retailer_id, dim, day, currency, grp) do update
            set label = excluded.label, orders = excluded.orders, units = excluded.units, revenue = excluded.revenue,
                cost = excluded.cost, fees = excluded.fees, listing_fees = excluded.listing_fees, ship_hours = excluded.ship_hours,
                shipped_lines = excluded.shipped_lines
    ),
    platform as (
        insert into platform_period as p (dim, unit, period, currency, grp, label, orders, units, revenue, fees, listing_fees)
        select x.dim, u.unit, u.period, x.currency, x.grp, x.label, x.orders, x.units, x.revenue, x.fees, x.listing_fees
        from delta x
        cross join (values ('DAY', d), ('WEEK', cast(date_trunc('week', d) as date)),
                           ('MONTH', cast(date_trunc('month', d) as date))) as u(unit, period)
        where x.dim in ('NONE', 'PRODUCT', 'SUPPLIER')
          and (x.orders <> 0 or x.units <> 0 or x.revenue <> 0 or x.fees <> 0 or x.listing_fees <> 0)
        order by x.dim, u.unit, x.currency, x.grp
        on conflict (dim, unit, period, currency, grp) do update
            set label = greatest(p.label, excluded.label), orders = p.orders + excluded.orders,
                units = p.units + excluded.units, revenue = p.revenue + excluded.revenue, fees = p.fees + excluded.fees,
                listing_fees = p.listing_fees + excluded.listing_fees
    )
    insert into sales_period as p (retailer_id, dim, unit, period, currency, grp, label, orders, units, revenue, cost,
                                   fees, listing_fees, ship_hours, shipped_lines)
    select r, x.dim, u.unit, u.period, x.currency, x.grp, x.label, x.orders, x.units, x.revenue, x.cost, x.fees,
           x.listing_fees, x.ship_hours, x.shipped_lines
    from delta x
    cross join (values ('WEEK', cast(date_trunc('week', d) as date)), ('MONTH', cast(date_trunc('month', d) as date)))
        as u(unit, period)
    where x.orders <> 0 or x.units <> 0 or x.revenue <> 0 or x.cost <> 0 or x.fees <> 0 or x.listing_fees <> 0
       or x.ship_hours <> 0 or x.shipped_lines <> 0
    order by x.dim, u.unit, x.currency, x.grp
    on conflict (retailer_id, dim, unit, period, currency, grp) do update
        set label = greatest(p.label, excluded.label), orders = p.orders + excluded.orders,
            units = p.units + excluded.units, revenue = p.revenue + excluded.revenue, cost = p.cost + excluded.cost,
            fees = p.fees + excluded.fees, listing_fees = p.listing_fees + excluded.listing_fees, ship_hours = p.ship_hours + excluded.ship_hours,
            shipped_lines = p.shipped_lines + excluded.shipped_lines;
$$;

-- The weeks and months of the days already summed, the retailers' and the platform's.
insert into sales_period (retailer_id, dim, unit, period, currency, grp, label, orders, units, revenue, cost, fees,
                          listing_fees, ship_hours, shipped_lines)
select retailer_id, dim, u.unit, u.period, currency, grp, max(label), sum(orders), sum(units), sum(revenue), sum(cost),
       sum(fees), sum(listing_fees), sum(ship_hours), sum(shipped_lines)
from sales_day
cross join lateral (values ('WEEK', cast(date_trunc('week', day) as date)), ('MONTH', cast(date_trunc('month', day) as date)))
    as u(unit, period)
group by retailer_id, dim, u.unit, u.period, currency, grp;

insert into platform_period (dim, unit, period, currency, grp, label, orders, units, revenue, fees, listing_fees)
select dim, u.unit, u.period, currency, grp, max(label), sum(orders), sum(units), sum(revenue), sum(fees), sum(listing_fees)
from sales_day
cross join lateral (values ('DAY', day), ('WEEK', cast(date_trunc('week', day) as date)),
                           ('MONTH', cast(date_trunc('month', day) as date))) as u(unit, period)
where dim in ('NONE', 'PRODUCT', 'SUPPLIER')
group by dim, u.unit, u.period, currency, grp;
