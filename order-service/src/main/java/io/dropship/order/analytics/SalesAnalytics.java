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
 * the analytics projection ({@link AnalyticsConsumer}): orders, units, revenue at its prices, cost (wholesale plus
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

    public record Report(String retailerId, LocalDate from, LocalDate to, Granularity granularity, GroupBy groupBy,
                         List<Row> rows, List<Row> totals) {
    }

    private final Pool pool;

    public SalesAnalytics(Pool pool) {
        this.pool = pool;
    }

    public Uni<Report> sales(String retailerId, LocalDate from, LocalDate to, Granularity granularity, GroupBy groupBy) {
        String group = switch (groupBy) {
            case NONE -> "''";
            case STORE -> "coalesce(l.store_id, '')";
            case LISTING -> "coalesce(l.listing_id, '')";
            case PRODUCT -> "l.supplier_id || ':' || l.sku";
            case SUPPLIER -> "l.supplier_id";
        };
        String label = switch (groupBy) {
            case LISTING, PRODUCT -> "max(l.title)";
            default -> "null::text";
        };
        String unit = granularity.name().toLowerCase(java.util.Locale.ROOT);
        String body = " count(distinct l.order_id), sum(l.quantity), sum(l.revenue), sum(l.cost),"
                + " coalesce(sum(round(so.fee * l.cost / nullif(so.cost_total, 0), 2)), 0),"
                + " avg(extract(epoch from so.shipped_at - l.routed_at) / 3600)"
                + " from sales_line l left join sales_supplier_order so on so.supplier_order_id = l.supplier_order_id"
                + " where l.retailer_id = $1 and l.routed_at >= $2 and l.routed_at < $3 and not coalesce(so.void, false)";
        Tuple args = Tuple.of(retailerId, from.atStartOfDay().atOffset(ZoneOffset.UTC), to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        Uni<List<Row>> rows = pool.preparedQuery("select cast(date_trunc('" + unit + "', l.routed_at at time zone 'UTC') as date), "
                        + group + ", " + label + ", l.currency," + body
                        + " group by 1, 2, l.currency order by 1, l.currency, 2")
                .execute(args).map(SalesAnalytics::rows);
        Uni<List<Row>> totals = pool.preparedQuery("select cast(null as date), '', null::text, l.currency," + body
                        + " group by l.currency order by l.currency")
                .execute(args).map(SalesAnalytics::rows);
        return rows.chain(r -> totals.map(t -> new Report(retailerId, from, to, granularity, groupBy, r, t)));
    }

    private static List<Row> rows(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set) {
        List<Row> out = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row r : set) {
            long orders = r.getLong(4);
            BigDecimal revenue = money(r.getBigDecimal(6));
            BigDecimal cost = money(r.getBigDecimal(7));
            BigDecimal fees = money(r.getBigDecimal(8));
            Double hours = r.getValue(9) == null ? null : Math.round(((Number) r.getValue(9)).doubleValue() * 10) / 10.0;
            out.add(new Row(r.getLocalDate(0), r.getString(1).isEmpty() && r.getString(2) == null ? null : r.getString(1),
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
