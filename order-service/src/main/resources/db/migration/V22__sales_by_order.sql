-- The daily sums kept by difference, order by order. sales_day_refresh summed a retailer's whole day again for every
-- event of one of its supplier orders: each event read all of the day's lines five times over (one per dimension),
-- so a day of n orders cost n² line reads (500 buffer reads per event at 200 orders, the orders database's busiest
-- statement). An order's part of its retailer's days is what its own lines add (every column is a sum over lines, and
-- an order counts once in each group it has a line in), so the projection now sums the event's order before and after
-- the event and adds the difference to the days, weeks and months: the cost of an event is the size of its order.
-- The hours to ship are rounded per order before they are added (the days' sums were rounded per group and day).
create index sales_line_order on sales_line (order_id);

-- What an order's live lines add to their retailers' days, by group.
create or replace function sales_order_parts(o uuid)
    returns table (retailer_id text, day date, dim text, currency text, grp text, label text, orders bigint,
                   units bigint, revenue numeric, cost numeric, fees numeric, listing_fees numeric, ship_hours numeric,
                   shipped_lines bigint)
    language sql stable
as $$
    select l.retailer_id, cast(l.routed_at at time zone 'UTC' as date), x.dim, l.currency, x.grp,
           case when x.dim in ('LISTING', 'PRODUCT') then max(l.title) end,
           count(distinct l.order_id), sum(l.quantity), sum(l.revenue), sum(l.cost),
           coalesce(sum(round(so.fee * l.cost / nullif(so.cost_total, 0), 2)), 0),
           coalesce(sum(round(so.listing_fee * l.cost / nullif(so.cost_total, 0), 2)), 0),
           round(coalesce(sum(extract(epoch from so.shipped_at - l.routed_at) / 3600), 0), 2),
           count(so.shipped_at)
    from sales_line l
    left join sales_supplier_order so on so.supplier_order_id = l.supplier_order_id
    cross join lateral (values ('NONE', ''), ('STORE', coalesce(l.store_id, '')), ('LISTING', coalesce(l.listing_id, '')),
                               ('PRODUCT', l.supplier_id || ':' || l.sku), ('SUPPLIER', l.supplier_id)) as x(dim, grp)
    where l.order_id = o and not coalesce(so.void, false)
    group by l.retailer_id, cast(l.routed_at at time zone 'UTC' as date), x.dim, l.currency, x.grp
$$;

-- The order's part now, less what it was before the event (sales_order_parts then, as JSON), added to the days,
-- the retailers' weeks and months and the platform's days, weeks and months; a day's group left with no order goes.
-- PL/pgSQL keeps the two statements' plans for the connection (an SQL function plans them again on every call).
create or replace function sales_order_apply(o uuid, before jsonb) returns void
    language plpgsql
as $$
begin
    with fresh as (
        select * from sales_order_parts(o)
    ),
    old as (
        select * from jsonb_to_recordset(before) as b(retailer_id text, day date, dim text, currency char(3), grp text,
            label text, orders bigint, units bigint, revenue numeric, cost numeric, fees numeric, listing_fees numeric,
            ship_hours numeric, shipped_lines bigint)
    ),
    delta as (
        select coalesce(f.retailer_id, o.retailer_id) as retailer_id, coalesce(f.day, o.day) as day,
               coalesce(f.dim, o.dim) as dim, coalesce(f.currency, o.currency) as currency,
               coalesce(f.grp, o.grp) as grp, f.label,
               coalesce(f.orders, 0) - coalesce(o.orders, 0) as orders, coalesce(f.units, 0) - coalesce(o.units, 0) as units,
               coalesce(f.revenue, 0) - coalesce(o.revenue, 0) as revenue, coalesce(f.cost, 0) - coalesce(o.cost, 0) as cost,
               coalesce(f.fees, 0) - coalesce(o.fees, 0) as fees,
               coalesce(f.listing_fees, 0) - coalesce(o.listing_fees, 0) as listing_fees,
               coalesce(f.ship_hours, 0) - coalesce(o.ship_hours, 0) as ship_hours,
               coalesce(f.shipped_lines, 0) - coalesce(o.shipped_lines, 0) as shipped_lines
        from fresh f
        full join old o on o.retailer_id = f.retailer_id and o.day = f.day and o.dim = f.dim
                       and o.currency = f.currency and o.grp = f.grp
    ),
    changed as (
        select * from delta
        where orders <> 0 or units <> 0 or revenue <> 0 or cost <> 0 or fees <> 0 or listing_fees <> 0
           or ship_hours <> 0 or shipped_lines <> 0
    ),
    days as (
        insert into sales_day as t (retailer_id, dim, day, currency, grp, label, orders, units, revenue, cost, fees,
                                    listing_fees, ship_hours, shipped_lines)
        select retailer_id, dim, day, currency, grp, label, orders, units, revenue, cost, fees, listing_fees, ship_hours,
               shipped_lines
        from changed
        order by retailer_id, dim, day, currency, grp
        on conflict (retailer_id, dim, day, currency, grp) do update
            set label = greatest(t.label, excluded.label), orders = t.orders + excluded.orders,
                units = t.units + excluded.units, revenue = t.revenue + excluded.revenue, cost = t.cost + excluded.cost,
                fees = t.fees + excluded.fees, listing_fees = t.listing_fees + excluded.listing_fees,
                ship_hours = t.ship_hours + excluded.ship_hours, shipped_lines = t.shipped_lines + excluded.shipped_lines
    ),
    platform as (
        insert into platform_period as p (dim, unit, period, currency, grp, label, orders, units, revenue, fees, listing_fees)
        select x.dim, u.unit, u.period, x.currency, x.grp, max(x.label), sum(x.orders), sum(x.units), sum(x.revenue),
               sum(x.fees), sum(x.listing_fees)
        from changed x
        cross join lateral (values ('DAY', x.day), ('WEEK', cast(date_trunc('week', x.day) as date)),
                                   ('MONTH', cast(date_trunc('month', x.day) as date))) as u(unit, period)
        where x.dim in ('NONE', 'PRODUCT', 'SUPPLIER')
          and (x.orders <> 0 or x.units <> 0 or x.revenue <> 0 or x.fees <> 0 or x.listing_fees <> 0)
        group by x.dim, u.unit, u.period, x.currency, x.grp
        order by x.dim, u.unit, u.period, x.currency, x.grp
        on conflict (dim, unit, period, currency, grp) do update
            set label = greatest(p.label, excluded.label), orders = p.orders + excluded.orders,
                units = p.units + excluded.units, revenue = p.revenue + excluded.revenue, fees = p.fees + excluded.fees,
                listing_fees = p.listing_fees + excluded.listing_fees
    )
    insert into sales_period as p (retailer_id, dim, unit, period, currency, grp, label, orders, units, revenue, cost,
                                   fees, listing_fees, ship_hours, shipped_lines)
    select x.retailer_id, x.dim, u.unit, u.period, x.currency, x.grp, max(x.label), sum(x.orders), sum(x.units),
           sum(x.revenue), sum(x.cost), sum(x.fees), sum(x.listing_fees), sum(x.ship_hours), sum(x.shipped_lines)
    from changed x
    cross join lateral (values ('WEEK', cast(date_trunc('week', x.day) as date)),
                               ('MONTH', cast(date_trunc('month', x.day) as date))) as u(unit, period)
    group by x.retailer_id, x.dim, u.unit, u.period, x.currency, x.grp
    order by x.retailer_id, x.dim, u.unit, u.period, x.currency, x.grp
    on conflict (retailer_id, dim, unit, period, currency, grp) do update
        set label = greatest(p.label, excluded.label), orders = p.orders + excluded.orders,
            units = p.units + excluded.units, revenue = p.revenue + excluded.revenue, cost = p.cost + excluded.cost,
            fees = p.fees + excluded.fees, listing_fees = p.listing_fees + excluded.listing_fees,
            ship_hours = p.ship_hours + excluded.ship_hours, shipped_lines = p.shipped_lines + excluded.shipped_lines;

    delete from sales_day s
    using jsonb_to_recordset(before) as b(retailer_id text, day date, dim text, currency char(3), grp text)
    where s.retailer_id = b.retailer_id and s.dim = b.dim and s.day = b.day and s.currency = b.currency
      and s.grp = b.grp and s.orders <= 0;
end
$$;

-- sales_day_refresh stays: it sums a retailer's day afresh from its lines (a repair, and ./fleet bench analytics's
-- load), adding what it changes to the weeks and months as before.
