-- The analytics consumer applies a poll's worth of events in one transaction (AnalyticsConsumer): the orders they
-- change are summed before the events (sales_order_parts of each, as one JSON array) and after them, and the
-- difference is added to the days, weeks and months once. A retailer's day, week and month rows and the platform's
-- were written once per event (about 50 WAL records per order, the orders database's largest writer); now once per
-- poll for all the orders in it. The same group may come from several orders, so the two sides are summed by group
-- rather than joined row to row.
create or replace function sales_orders_apply(os uuid[], before jsonb) returns void
    language plpgsql
as $$
begin
    with fresh as (
        select p.* from unnest(os) as o, sales_order_parts(o) as p
    ),
    old as (
        select * from jsonb_to_recordset(before) as b(retailer_id text, day date, dim text, currency char(3), grp text,
            label text, orders bigint, units bigint, revenue numeric, cost numeric, fees numeric, listing_fees numeric,
            ship_hours numeric, shipped_lines bigint)
    ),
    delta as (
        select retailer_id, day, dim, currency, grp, max(label) as label, sum(orders) as orders, sum(units) as units,
               sum(revenue) as revenue, sum(cost) as cost, sum(fees) as fees, sum(listing_fees) as listing_fees,
               sum(ship_hours) as ship_hours, sum(shipped_lines) as shipped_lines
        from (select retailer_id, day, dim, currency, grp, label, orders, units, revenue, cost, fees, listing_fees,
                     ship_hours, shipped_lines
              from fresh
              union all
              select retailer_id, day, dim, currency, grp, null, -orders, -units, -revenue, -cost, -fees,
                     -listing_fees, -ship_hours, -shipped_lines
              from old) x
        group by retailer_id, day, dim, currency, grp
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

drop function sales_order_apply(uuid, jsonb);
