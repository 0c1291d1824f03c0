package io.dropship.order.analytics;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A retailer's sales by period (day, ISO week, month; UTC) and, if asked, by store, listing, product or supplier, from
 * the analytics projection ({@link AnalyticsConsumer}; the retailer's report from its daily sums, sales_day): orders, units, revenue at its prices, cost (wholesale plus
 * shipping), the platform's fees, profit, the average order value and how long supplier orders took to ship. Supplier
 * orders cancelled or rejected before they shipped do not count. Amounts are per currency, never added across.
 */
@ApplicationScoped
public class SalesAnalytics {

    public enum Granularity { DAY, WEEK, MONTH }

    public enum GroupBy { NONE, STORE, LISTING, PRODUCT, SUPPLIER }

    public record Row(LocalDate period, String group, String label, String currency, long orders, long units, BigDecimal revenue,
                      BigDecimal cost, BigDecimal fees, BigDecimal profit, BigDecimal averageOrderValue, Double averageHoursToShip) {
    }

    /**
     * How the period went beside the money: orders (a supplier's: its supplier orders), returns requested and cases
     * opened in it, and their rates per hundred orders.
     */
    public record Quality(long orders, long returns, long cases, BigDecimal returnRatePercent, BigDecimal caseRatePercent) {
        static Quality of(long orders, long returns, long cases) {
            return new Quality(orders, returns, cases, rate(returns, orders), rate(cases, orders));
        }

        private static BigDecimal rate(long n, long of) {
            return of == 0 ? BigDecimal.ZERO.setScale(2)
                    : BigDecimal.valueOf(n * 100L).divide(BigDecimal.valueOf(of), 2, RoundingMode.HALF_UP);
        }
    }

    /** truncated: there were more than {@link #MAX_ROWS} rows; the first are given (narrow the range or coarsen it). */
    public record Report(String retailerId, LocalDate from, LocalDate to, Granularity granularity, GroupBy groupBy,
                         List<Row> rows, List<Row> totals, boolean truncated, Quality quality) {
    }

    /** The most rows a report answers: a year by day and product of a large retailer would be millions. */
    public static final int MAX_ROWS = 5_000;

    /** A supplier's side: what it sold, at what it is paid (wholesale plus shipping), and how fast it shipped. */
    public record SupplierRow(LocalDate period, String group, String label, String currency, long orders, long units,
                              BigDecimal revenue, Double averageHoursToShip) {
    }

    public record SupplierReport(String supplierId, LocalDate from, LocalDate to, Granularity granularity, GroupBy groupBy,
                                 List<SupplierRow> rows, List<SupplierRow> totals, boolean truncated, Quality quality) {
    }

    /**
     * The platform's side: gross merchandise value (what retailers sold at their prices), the platform's fees and take
     * rate (fees over GMV), orders, orders per hour, and how many retailers and suppliers sold anything.
     */
    public record PlatformRow(LocalDate period, String currency, long orders, BigDecimal ordersPerHour, BigDecimal gmv,
                              BigDecimal fees, BigDecimal takeRatePercent, long activeRetailers, long activeSuppliers) {
    }

    public record Top(String id, String label, String currency, long units, BigDecimal gmv) {
    }

    /** Subscription revenue: invoices paid in the period, by the retailers paying them, and what they paid. */
    public record SubscriptionRow(LocalDate period, String currency, long invoices, long subscribers, BigDecimal revenue) {
    }

    /** subscriptions / subscriptionTotals: the platform's revenue from plans, beside the fees of rows / totals. */
    public record PlatformReport(LocalDate from, LocalDate to, Granularity granularity, List<PlatformRow> rows,
                                 List<PlatformRow> totals, List<Top> topProducts, List<Top> topSuppliers,
                                 List<SubscriptionRow> subscriptions, List<SubscriptionRow> subscriptionTotals) {
    }

    private final Pool pool;

    public SalesAnalytics(Pool pool) {
        this.pool = pool;
    }

    private static final String FROM = " from sales_line l left join sales_supplier_order so on so.supplier_order_id = l.supplier_order_id";
    private static final String LIVE = " and not coalesce(so.void, false)";

    private static Tuple range(String who, LocalDate from, LocalDate to) {
        return Tuple.of(who, from.atStartOfDay().atOffset(ZoneOffset.UTC), to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
    }

    public Uni<SupplierReport> supplierSales(String supplierId, LocalDate from, LocalDate to, Granularity granularity, GroupBy groupBy) {
        String group = groupBy == GroupBy.PRODUCT ? "l.sku" : "''";
        String label = groupBy == GroupBy.PRODUCT ? "max(l.title)" : "null::text";
        String body = " count(distinct l.order_id), sum(l.quantity), sum(l.cost),"
                + " avg(extract(epoch from so.shipped_at - l.routed_at) / 3600)" + FROM
                + " where l.supplier_id = $1 and l.routed_at >= $2 and l.routed_at < $3" + LIVE;
        String unit = granularity.name().toLowerCase(java.util.Locale.ROOT);
        Tuple args = range(supplierId, from, to);
        Uni<List<SupplierRow>> rows = pool.preparedQuery("select cast(date_trunc('" + unit + "', l.routed_at at time zone 'UTC') as date), "
                        + group + ", " + label + ", l.currency," + body + " group by 1, 2, l.currency order by 1, l.currency, 2"
                        + " limit " + (MAX_ROWS + 1))
                .execute(args).map(SalesAnalytics::supplierRows);
        Uni<List<SupplierRow>> totals = pool.preparedQuery("select cast(null as date), '', null::text, l.currency," + body
                        + " group by l.currency order by l.currency").execute(args).map(SalesAnalytics::supplierRows);
        Uni<Quality> quality = pool.preparedQuery("select (select count(distinct l.supplier_order_id)" + FROM
                        + " where l.supplier_id = $1 and l.routed_at >= $2 and l.routed_at < $3" + LIVE + "),"
                        + " (select count(*) from sales_return where supplier_id = $1 and requested_at >= $2 and requested_at < $3),"
                        + " (select count(*) from order_case where supplier_id = $1 and opened_at >= $2 and opened_at < $3)")
                .execute(args).map(set -> {
                    var q = set.iterator().next();
                    return Quality.of(q.getLong(0), q.getLong(1), q.getLong(2));
                });
        return rows.chain(r -> totals.chain(t -> quality.map(q -> new SupplierReport(supplierId, from, to, granularity, groupBy,
                r.size() > MAX_ROWS ? List.copyOf(r.subList(0, MAX_ROWS)) : r, t, r.size() > MAX_ROWS, q))));
    }

    public Uni<PlatformReport> platform(LocalDate from, LocalDate to, Granularity granularity) {
        String unit = granularity.name().toLowerCase(java.util.Locale.ROOT);
        String body = " count(distinct l.order_id), sum(l.revenue),"
                + " coalesce(sum(round(so.fee * l.cost / nullif(so.cost_total, 0), 2)), 0),"
                + " count(distinct l.retailer_id), count(distinct l.supplier_id), min(l.routed_at), max(l.routed_at)" + FROM
                + " where $1::text is null and l.routed_at >= $2 and l.routed_at < $3" + LIVE;
        Tuple args = range(null, from, to);
        long hours = Math.max(1, java.time.Duration.between(from.atStartOfDay(), to.plusDays(1).atStartOfDay()).toHours());
        Uni<List<PlatformRow>> rows = pool.preparedQuery("select cast(date_trunc('" + unit + "', l.routed_at at time zone 'UTC') as date),"
                        + " l.currency," + body + " group by 1, l.currency order by 1, l.currency")
                .execute(args).map(set -> platformRows(set, granularity, 0));
        Uni<List<PlatformRow>> totals = pool.preparedQuery("select cast(null as date), l.currency," + body
                        + " group by l.currency order by l.currency").execute(args).map(set -> platformRows(set, granularity, hours));
        Uni<List<Top>> products = top("l.supplier_id || ':' || l.sku", "max(l.title)", args);
        Uni<List<Top>> suppliers = top("l.supplier_id", "null::text", args);
        String subs = " count(*), count(distinct retailer_id), sum(amount) from subscription_revenue"
                + " where $1::text is null and paid_at >= $2 and paid_at < $3";
        Uni<List<SubscriptionRow>> subscriptions = pool.preparedQuery("select cast(date_trunc('" + unit
                        + "', paid_at at time zone 'UTC') as date), currency," + subs + " group by 1, 2 order by 1, 2")
                .execute(args).map(SalesAnalytics::subscriptionRows);
        Uni<List<SubscriptionRow>> subscriptionTotals = pool.preparedQuery("select cast(null as date), currency," + subs
                        + " group by 2 order by 2").execute(args).map(SalesAnalytics::subscriptionRows);
        return rows.chain(r -> totals.chain(t -> products.chain(p -> suppliers.chain(s -> subscriptions.chain(sr -> subscriptionTotals
                .map(st -> new PlatformReport(from, to, granularity, r, t, p, s, sr, st)))))));
    }

    private static List<SubscriptionRow> subscriptionRows(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set) {
        List<SubscriptionRow> out = new ArrayList<>();
        set.forEach(r -> out.add(new SubscriptionRow(r.getLocalDate(0), r.getString(1).strip(), r.getLong(2), r.getLong(3),
                money(r.getBigDecimal(4)))));
        return out;
    }

    private Uni<List<Top>> top(String id, String label, Tuple args) {
        return pool.preparedQuery("select " + id + ", " + label + ", l.currency, sum(l.quantity), sum(l.revenue)" + FROM
                        + " where $1::text is null and l.routed_at >= $2 and l.routed_at < $3" + LIVE
                        + " group by 1, l.currency order by 5 desc, 1 limit 10")
                .execute(args).map(set -> {
                    List<Top> out = new ArrayList<>();
                    set.forEach(r -> out.add(new Top(r.getString(0), r.getString(1), r.getString(2).strip(), r.getLong(3),
                            money(r.getBigDecimal(4)))));
                    return out;
                });
    }

    private static List<SupplierRow> supplierRows(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set) {
        List<SupplierRow> out = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row r : set) {
            out.add(new SupplierRow(r.getLocalDate(0), r.getString(1).isEmpty() && r.getString(2) == null ? null : r.getString(1),
                    r.getString(2), r.getString(3).strip(), r.getLong(4), r.getLong(5), money(r.getBigDecimal(6)), hours(r.getValue(7))));
        }
        return out;
    }

    /** hours: the range's length for the totals; a period's own length (a day, a week, a month) otherwise. */
    private static List<PlatformRow> platformRows(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set,
                                                  Granularity granularity, long hours) {
        List<PlatformRow> out = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row r : set) {
            LocalDate period = r.getLocalDate(0);
            long span = hours > 0 ? hours : switch (granularity) {
                case DAY -> 24;
                case WEEK -> 24 * 7;
                case MONTH -> 24L * period.lengthOfMonth();
            };
            long orders = r.getLong(2);
            BigDecimal gmv = money(r.getBigDecimal(3));
            BigDecimal fees = money(r.getBigDecimal(4));
            out.add(new PlatformRow(period, r.getString(1).strip(), orders,
                    BigDecimal.valueOf(orders).divide(BigDecimal.valueOf(span), 2, RoundingMode.HALF_UP), gmv, fees,
                    gmv.signum() == 0 ? BigDecimal.ZERO.setScale(2) : fees.multiply(BigDecimal.valueOf(100)).divide(gmv, 2, RoundingMode.HALF_UP),
                    r.getLong(5), r.getLong(6)));
        }
        return out;
    }

    private static Double hours(Object seconds) {
        return seconds == null ? null : Math.round(((Number) seconds).doubleValue() * 10) / 10.0;
    }

    /** From the daily sums (sales_day): a year's report reads at most 365 rows per group. */
    public Uni<Report> sales(String retailerId, LocalDate from, LocalDate to, Granularity granularity, GroupBy groupBy) {
        String unit = granularity.name().toLowerCase(java.util.Locale.ROOT);
        String body = " sum(orders), sum(units), sum(revenue), sum(cost), sum(fees), sum(ship_hours) / nullif(sum(shipped_lines), 0)"
                + " from sales_day where retailer_id = $1 and dim = $2 and day >= $3 and day <= $4";
        Tuple args = Tuple.of(retailerId, groupBy.name(), from, to);
        Uni<List<Row>> rows = pool.preparedQuery("select cast(date_trunc('" + unit + "', day) as date),"
                        + " case when $2 = 'NONE' then null else grp end, max(label), currency," + body
                        + " group by 1, grp, currency order by 1, currency, grp limit " + (MAX_ROWS + 1))
                .execute(args).map(SalesAnalytics::rows);
        Uni<List<Row>> totals = pool.preparedQuery("select cast(null as date), null::text, null::text, currency,"
                        + body.replace("dim = $2", "dim = 'NONE' and $2::text is not null") + " group by currency order by currency")
                .execute(args).map(SalesAnalytics::rows);
        // Orders from the daily sums; returns and cases by when they were asked for.
        Tuple range = Tuple.of(retailerId, from.atStartOfDay().atOffset(ZoneOffset.UTC), to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC),
                from, to);
        Uni<Quality> quality = pool.preparedQuery("select (select coalesce(sum(orders), 0) from sales_day where retailer_id = $1"
                        + " and dim = 'NONE' and day >= $4 and day <= $5),"
                        + " (select count(*) from sales_return where retailer_id = $1 and requested_at >= $2 and requested_at < $3),"
                        + " (select count(*) from order_case where retailer_id = $1 and opened_at >= $2 and opened_at < $3)")
                .execute(range).map(set -> {
                    var q = set.iterator().next();
                    return Quality.of(((Number) q.getValue(0)).longValue(), q.getLong(1), q.getLong(2));
                });
        return rows.chain(r -> totals.chain(t -> quality.map(q -> new Report(retailerId, from, to, granularity, groupBy,
                r.size() > MAX_ROWS ? List.copyOf(r.subList(0, MAX_ROWS)) : r, t, r.size() > MAX_ROWS, q))));
    }

    private static List<Row> rows(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set) {
        List<Row> out = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row r : set) {
            long orders = r.getLong(4);
            BigDecimal revenue = money(r.getBigDecimal(6));
            BigDecimal cost = money(r.getBigDecimal(7));
            BigDecimal fees = money(r.getBigDecimal(8));
            Double hours = r.getValue(9) == null ? null : Math.round(((Number) r.getValue(9)).doubleValue() * 10) / 10.0;
            out.add(new Row(r.getLocalDate(0), r.getString(1),
                    r.getString(2), r.getString(3).strip(), orders, r.getLong(5), revenue, cost, fees,
                    revenue.subtract(cost).subtract(fees),
                    orders == 0 ? BigDecimal.ZERO.setScale(2) : revenue.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP),
                    hours));
        }
        return out;
    }

    private static BigDecimal money(BigDecimal v) {
        return v == null ? BigDecimal.ZERO.setScale(2) : v.setScale(2, RoundingMode.HALF_UP);
    }

    /** The report as CSV (RFC 4180), a row per period and group, for a spreadsheet. */
    public static String csv(Report report) {
        StringBuilder out = new StringBuilder("period,group,label,currency,orders,units,revenue,cost,fees,profit,average_order_value,"
                + "average_hours_to_ship\r\n");
        for (Row r : report.rows()) {
            out.append(r.period()).append(',').append(cell(r.group())).append(',').append(cell(r.label())).append(',')
                    .append(r.currency()).append(',').append(r.orders()).append(',').append(r.units()).append(',')
                    .append(r.revenue().toPlainString()).append(',').append(r.cost().toPlainString()).append(',')
                    .append(r.fees().toPlainString()).append(',').append(r.profit().toPlainString()).append(',')
                    .append(r.averageOrderValue().toPlainString()).append(',')
                    .append(r.averageHoursToShip() == null ? "" : r.averageHoursToShip()).append("\r\n");
        }
        return out.toString();
    }

    /** A cell quoted when it must be, and never read as a formula by a spreadsheet. */
    static String cell(String v) {
        if (v == null) {
            return "";
        }
        String safe = !v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
        return safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")
                ? "\"" + safe.replace("\"", "\"\"") + "\"" : safe;
    }
}
