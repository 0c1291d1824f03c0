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

    public enum Granularity {
        DAY,
        WEEK,
        MONTH
    }

    public enum GroupBy {
        NONE,
        STORE,
        LISTING,
        PRODUCT,
        SUPPLIER
    }

    public record Row(
            LocalDate period,
            String group,
            String label,
            String currency,
            long orders,
            long units,
            BigDecimal revenue,
            BigDecimal cost,
            BigDecimal fees,
            BigDecimal profit,
            BigDecimal averageOrderValue,
            Double averageHoursToShip) {}

    /**
     * How the period went beside the money: orders (a supplier's: its supplier orders), returns requested and cases
     * opened in it, and their rates per hundred orders.
     */
    public record Quality(
            long orders, long returns, long cases, BigDecimal returnRatePercent, BigDecimal caseRatePercent) {
        static Quality of(long orders, long returns, long cases) {
            return new Quality(orders, returns, cases, rate(returns, orders), rate(cases, orders));
        }

        private static BigDecimal rate(long n, long of) {
            return of == 0
                    ? BigDecimal.ZERO.setScale(2)
                    : BigDecimal.valueOf(n * 100L).divide(BigDecimal.valueOf(of), 2, RoundingMode.HALF_UP);
        }
    }

    /** truncated: there were more than {@link #MAX_ROWS} rows; the first are given (narrow the range or coarsen it). */
    public record Report(
            String retailerId,
            LocalDate from,
            LocalDate to,
            Granularity granularity,
            GroupBy groupBy,
            List<Row> rows,
            List<Row> totals,
            boolean truncated,
            Quality quality) {}

    /** The most rows a report answers: a year by day and product of a large retailer would be millions. */
    public static final int MAX_ROWS = 5_000;

    /** A supplier's side: what it sold, at what it is paid (wholesale plus shipping), and how fast it shipped. */
    public record SupplierRow(
            LocalDate period,
            String group,
            String label,
            String currency,
            long orders,
            long units,
            BigDecimal revenue,
            Double averageHoursToShip) {}

    public record SupplierReport(
            String supplierId,
            LocalDate from,
            LocalDate to,
            Granularity granularity,
            GroupBy groupBy,
            List<SupplierRow> rows,
            List<SupplierRow> totals,
            boolean truncated,
            Quality quality) {}

    /**
     * The platform's side: gross merchandise value (what retailers sold at their prices), the platform's revenue from
     * the orders (fees: the retailers' plan fees; listingFees: featured suppliers' listing fees) and take rate (both
     * over GMV), orders, orders per hour, and how many retailers and suppliers sold anything.
     */
    public record PlatformRow(
            LocalDate period,
            String currency,
            long orders,
            BigDecimal ordersPerHour,
            BigDecimal gmv,
            BigDecimal fees,
            BigDecimal listingFees,
            BigDecimal takeRatePercent,
            long activeRetailers,
            long activeSuppliers) {}

    public record Top(String id, String label, String currency, long units, BigDecimal gmv) {}

    /** Subscription revenue: invoices paid in the period, by the retailers paying them, and what they paid. */
    public record SubscriptionRow(
            LocalDate period, String currency, long invoices, long subscribers, BigDecimal revenue) {}

    /** subscriptions / subscriptionTotals: the platform's revenue from plans, beside the fees of rows / totals. */
    public record PlatformReport(
            LocalDate from,
            LocalDate to,
            Granularity granularity,
            List<PlatformRow> rows,
            List<PlatformRow> totals,
            List<Top> topProducts,
            List<Top> topSuppliers,
            List<SubscriptionRow> subscriptions,
            List<SubscriptionRow> subscriptionTotals) {}

    private final Pool pool;

    public SalesAnalytics(Pool pool) {
        this.pool = pool;
    }

    private static final String FROM =
            " from sales_line l left join sales_supplier_order so on so.supplier_order_id = l.supplier_order_id";
    private static final String LIVE = " and not coalesce(so.void, false)";

    private static Tuple range(String who, LocalDate from, LocalDate to) {
        return Tuple.of(
                who,
                from.atStartOfDay().atOffset(ZoneOffset.UTC),
                to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
    }

    public Uni<SupplierReport> supplierSales(
            String supplierId, LocalDate from, LocalDate to, Granularity granularity, GroupBy groupBy) {
        String group = groupBy == GroupBy.PRODUCT ? "l.sku" : "''";
        String label = groupBy == GroupBy.PRODUCT ? "max(l.title)" : "null::text";
        String body = " count(distinct l.order_id), sum(l.quantity), sum(l.cost),"
                + " avg(extract(epoch from so.shipped_at - l.routed_at) / 3600)" + FROM
                + " where l.supplier_id = $1 and l.routed_at >= $2 and l.routed_at < $3" + LIVE;
        String unit = granularity.name().toLowerCase(java.util.Locale.ROOT);
        Tuple args = range(supplierId, from, to);
        Uni<List<SupplierRow>> rows = pool.preparedQuery(
                        "select cast(date_trunc('" + unit + "', l.routed_at at time zone 'UTC') as date), "
                                + group + ", " + label + ", l.currency," + body
                                + " group by 1, 2, l.currency order by 1, l.currency, 2"
                                + " limit " + (MAX_ROWS + 1))
                .execute(args)
                .map(SalesAnalytics::supplierRows);
        Uni<List<SupplierRow>> totals = pool.preparedQuery("select cast(null as date), '', null::text, l.currency,"
                        + body + " group by l.currency order by l.currency")
                .execute(args)
                .map(SalesAnalytics::supplierRows);
        Uni<Quality> quality = pool.preparedQuery(
                        "select (select count(distinct l.supplier_order_id)" + FROM
                                + " where l.supplier_id = $1 and l.routed_at >= $2 and l.routed_at < $3" + LIVE + "),"
                                + " (select count(*) from sales_return where supplier_id = $1 and requested_at >= $2 and requested_at < $3),"
                                + " (select count(*) from order_case where supplier_id = $1 and opened_at >= $2 and opened_at < $3)")
                .execute(args)
                .map(set -> {
                    var q = set.iterator().next();
                    return Quality.of(q.getLong(0), q.getLong(1), q.getLong(2));
                });
        return Uni.combine()
                .all()
                .unis(rows, totals, quality)
                .with((r, t, q) -> new SupplierReport(
                        supplierId,
                        from,
                        to,
                        granularity,
                        groupBy,
                        r.size() > MAX_ROWS ? List.copyOf(r.subList(0, MAX_ROWS)) : r,
                        t,
                        r.size() > MAX_ROWS,
                        q));
    }

    /**
     * From the platform's own daily, weekly and monthly sums (platform_period, across retailers): whole weeks or months
     * from their sums, the cut ends from their days (or the period less the days left out, when fewer); the retailers
     * who sold from their own sums in all. Orders are counted per retailer and day, as in a retailer's report.
     */
    public Uni<PlatformReport> platform(LocalDate from, LocalDate to, Granularity granularity) {
        List<Span> spans = spans(from, to, granularity);
        String with = "with n as (" + sums("NONE", granularity, spans) + "), s as ("
                + sums("SUPPLIER", granularity, spans) + "), r as (" + sellers(granularity, spans) + ")";
        long hours = Math.max(
                1,
                java.time.Duration.between(from.atStartOfDay(), to.plusDays(1).atStartOfDay())
                        .toHours());
        Uni<List<PlatformRow>> rows = pool.query(with
                        + ", rc as (select p, currency, count(distinct retailer_id) as c from r group by 1, 2)"
                        + ", sc as (select p, currency, count(distinct grp) as c from s where orders > 0 group by 1, 2)"
                        + " select n.p, n.currency, sum(n.orders), sum(n.revenue), sum(n.fees), sum(n.listing_fees),"
                        + " coalesce(max(rc.c), 0), coalesce(max(sc.c), 0) from n"
                        + " left join rc on rc.p = n.p and rc.currency = n.currency"
                        + " left join sc on sc.p = n.p and sc.currency = n.currency"
                        + " where n.orders > 0 group by n.p, n.currency order by 1, 2")
                .execute()
                .map(set -> platformRows(set, granularity, 0));
        Uni<List<PlatformRow>> totals = pool.query(with
                        + ", rc as (select currency, count(distinct retailer_id) as c from r group by 1)"
                        + ", sc as (select currency, count(distinct grp) as c from s where orders > 0 group by 1)"
                        + " select cast(null as date), n.currency, sum(n.orders), sum(n.revenue), sum(n.fees), sum(n.listing_fees),"
                        + " coalesce(max(rc.c), 0), coalesce(max(sc.c), 0) from n left join rc on rc.currency = n.currency"
                        + " left join sc on sc.currency = n.currency where n.orders > 0 group by n.currency order by 2")
                .execute()
                .map(set -> platformRows(set, granularity, hours));
        Uni<List<Top>> products = top("PRODUCT", "max(label collate \"C\")", granularity, spans);
        Uni<List<Top>> suppliers = top("SUPPLIER", "null::text", granularity, spans);
        Tuple args = Tuple.of(
                from.atStartOfDay().atOffset(ZoneOffset.UTC),
                to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC));
        String unit = granularity.name().toLowerCase(java.util.Locale.ROOT);
        String subs = " count(*), count(distinct retailer_id), sum(amount) from subscription_revenue"
                + " where paid_at >= $1 and paid_at < $2";
        Uni<List<SubscriptionRow>> subscriptions = pool.preparedQuery("select cast(date_trunc('" + unit
                        + "', paid_at at time zone 'UTC') as date), currency," + subs + " group by 1, 2 order by 1, 2")
                .execute(args)
                .map(SalesAnalytics::subscriptionRows);
        Uni<List<SubscriptionRow>> subscriptionTotals = pool.preparedQuery(
                        "select cast(null as date), currency," + subs + " group by 2 order by 2")
                .execute(args)
                .map(SalesAnalytics::subscriptionRows);
        return Uni.combine()
                .all()
                .unis(rows, totals, products, suppliers, subscriptions, subscriptionTotals)
                .with((r, t, p, s, sr, st) -> new PlatformReport(from, to, granularity, r, t, p, s, sr, st));
    }

    /**
     * The platform's sums of one dimension over the range, rows of (p: the period, currency, grp, label, orders, units,
     * revenue, fees, listing_fees); a period may have several (its days). The dates are the server's own LocalDates,
     * written out as literals.
     */
    private static String sums(String dim, Granularity granularity, List<Span> spans) {
        String columns = " currency, grp, label, orders, units, revenue, fees, listing_fees";
        String of = " from platform_period where dim = '" + dim + "' and unit = ";
        List<String> parts = new ArrayList<>();
        for (Span span : spans) {
            String days = " and period >= date '" + span.from() + "' and period <= date '" + span.to() + "'";
            switch (span.read(granularity)) {
                case PERIODS -> parts.add("select period as p," + columns + of + "'" + granularity.name() + "'" + days);
                case DAYS -> parts.add("select period as p," + columns + of + "'DAY'" + days);
                case DAYS_OF_PERIOD ->
                    parts.add("select date '" + span.period() + "' as p," + columns + of + "'DAY'" + days);
                case PERIOD_LESS_DAYS -> {
                    LocalDate end = next(span.period(), granularity).minusDays(1);
                    parts.add("select date '" + span.period()
                            + "' as p, currency, grp, max(label) as label, sum(orders) as orders,"
                            + " sum(units) as units, sum(revenue) as revenue, sum(fees) as fees, sum(listing_fees) as listing_fees"
                            + " from (select" + columns + of + "'" + granularity.name() + "' and period = date '"
                            + span.period()
                            + "' union all select currency, grp, null, -orders, -units, -revenue, -fees, -listing_fees"
                            + of
                            + "'DAY' and period >= date '" + span.period() + "' and period <= date '" + end
                            + "' and (period < date '"
                            + span.from() + "' or period > date '" + span.to()
                            + "')) c group by currency, grp having sum(orders) > 0");
                }
            }
        }
        return String.join(" union all ", parts);
    }

    /** The retailers who sold, rows of (p, currency, retailer_id): from their sums in all, by period or by day. */
    private static String sellers(Granularity granularity, List<Span> spans) {
        List<String> parts = new ArrayList<>();
        for (Span span : spans) {
            if (span.whole()) {
                parts.add("select period as p, currency, retailer_id from sales_period where dim = 'NONE' and unit = '"
                        + granularity.name() + "' and period >= date '" + span.from() + "' and period <= date '"
                        + span.to()
                        + "' and orders > 0");
            } else {
                parts.add("select " + (span.period() == null ? "day" : "date '" + span.period() + "'")
                        + " as p, currency,"
                        + " retailer_id from sales_day where dim = 'NONE' and day >= date '" + span.from()
                        + "' and day <= date '"
                        + span.to() + "'");
            }
        }
        return String.join(" union all ", parts);
    }

    /** The ten groups with the most GMV (a label compared byte-wise: any of a product's titles will do). */
    private Uni<List<Top>> top(String dim, String label, Granularity granularity, List<Span> spans) {
        return pool.query("select grp, " + label + ", currency, sum(units), sum(revenue) from ("
                        + sums(dim, granularity, spans)
                        + ") x where orders > 0 group by grp, currency order by 5 desc, 1 limit 10")
                .execute()
                .map(set -> {
                    List<Top> out = new ArrayList<>();
                    set.forEach(r -> out.add(new Top(
                            r.getString(0),
                            r.getString(1),
                            r.getString(2).strip(),
                            r.getLong(3),
                            money(r.getBigDecimal(4)))));
                    return out;
                });
    }

    private static List<SubscriptionRow> subscriptionRows(
            io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set) {
        List<SubscriptionRow> out = new ArrayList<>();
        set.forEach(r -> out.add(new SubscriptionRow(
                r.getLocalDate(0), r.getString(1).strip(), r.getLong(2), r.getLong(3), money(r.getBigDecimal(4)))));
        return out;
    }

    private static List<SupplierRow> supplierRows(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set) {
        List<SupplierRow> out = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row r : set) {
            out.add(new SupplierRow(
                    r.getLocalDate(0),
                    r.getString(1).isEmpty() && r.getString(2) == null ? null : r.getString(1),
                    r.getString(2),
                    r.getString(3).strip(),
                    r.getLong(4),
                    r.getLong(5),
                    money(r.getBigDecimal(6)),
                    hours(r.getValue(7))));
        }
        return out;
    }

    /** hours: the range's length for the totals; a period's own length (a day, a week, a month) otherwise. */
    private static List<PlatformRow> platformRows(
            io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set, Granularity granularity, long hours) {
        List<PlatformRow> out = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row r : set) {
            LocalDate period = r.getLocalDate(0);
            long span = hours > 0
                    ? hours
                    : switch (granularity) {
                        case DAY -> 24;
                        case WEEK -> 24 * 7;
                        case MONTH -> 24L * period.lengthOfMonth();
                    };
            long orders = r.getLong(2);
            BigDecimal gmv = money(r.getBigDecimal(3));
            BigDecimal fees = money(r.getBigDecimal(4));
            BigDecimal listingFees = money(r.getBigDecimal(5));
            BigDecimal revenue = fees.add(listingFees);
            out.add(new PlatformRow(
                    period,
                    r.getString(1).strip(),
                    orders,
                    BigDecimal.valueOf(orders).divide(BigDecimal.valueOf(span), 2, RoundingMode.HALF_UP),
                    gmv,
                    fees,
                    listingFees,
                    gmv.signum() == 0
                            ? BigDecimal.ZERO.setScale(2)
                            : revenue.multiply(BigDecimal.valueOf(100)).divide(gmv, 2, RoundingMode.HALF_UP),
                    r.getLong(6),
                    r.getLong(7)));
        }
        return out;
    }

    private static Double hours(Object seconds) {
        return seconds == null ? null : Math.round(((Number) seconds).doubleValue() * 10) / 10.0;
    }

    /**
     * From the sums the projection keeps: by day, the daily sums (sales_day) as they are; by week or month, the
     * weekly and monthly sums (sales_period) for the periods wholly inside the range and the daily sums of the part of
     * a period the range cuts at either end. Rows come in the index's order, so a capped report stops reading at its
     * last row: a year by month and product reads about twelve rows per product, not one per day.
     */
    public Uni<Report> sales(
            String retailerId, LocalDate from, LocalDate to, Granularity granularity, GroupBy groupBy) {
        Uni<List<Row>> rows = Uni.createFrom().item(new ArrayList<>());
        for (Span span : spans(from, to, granularity)) {
            rows = rows.chain(sofar -> {
                int want = MAX_ROWS + 1 - sofar.size();
                if (want <= 0) {
                    return Uni.createFrom().item(sofar);
                }
                return span(retailerId, groupBy, granularity, span, want).map(more -> {
                    sofar.addAll(more);
                    return sofar;
                });
            });
        }
        String body =
                " sum(orders), sum(units), sum(revenue), sum(cost), sum(fees), sum(ship_hours) / nullif(sum(shipped_lines), 0)"
                        + " from sales_day where retailer_id = $1 and dim = 'NONE' and day >= $2 and day <= $3";
        Uni<List<Row>> totals = pool.preparedQuery("select cast(null as date), null::text, null::text, currency," + body
                        + " group by currency order by currency")
                .execute(Tuple.of(retailerId, from, to))
                .map(SalesAnalytics::rows);
        // Orders from the daily sums; returns and cases by when they were asked for.
        Tuple range = Tuple.of(
                retailerId,
                from.atStartOfDay().atOffset(ZoneOffset.UTC),
                to.plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC),
                from,
                to);
        Uni<Quality> quality = pool.preparedQuery(
                        "select (select coalesce(sum(orders), 0) from sales_day where retailer_id = $1"
                                + " and dim = 'NONE' and day >= $4 and day <= $5),"
                                + " (select count(*) from sales_return where retailer_id = $1 and requested_at >= $2 and requested_at < $3),"
                                + " (select count(*) from order_case where retailer_id = $1 and opened_at >= $2 and opened_at < $3)")
                .execute(range)
                .map(set -> {
                    var q = set.iterator().next();
                    return Quality.of(((Number) q.getValue(0)).longValue(), q.getLong(1), q.getLong(2));
                });
        return Uni.combine()
                .all()
                .unis(rows, totals, quality)
                .with((r, t, q) -> new Report(
                        retailerId,
                        from,
                        to,
                        granularity,
                        groupBy,
                        r.size() > MAX_ROWS ? List.copyOf(r.subList(0, MAX_ROWS)) : r,
                        t,
                        r.size() > MAX_ROWS,
                        q));
    }

    /**
     * A stretch of a report: days [from, to] as they are (whole = false, by day), whole periods beginning in [from, to]
     * (whole = true), or the part [from, to] of the period beginning at {@code period} (the range cuts it).
     */
    record Span(LocalDate from, LocalDate to, LocalDate period, boolean whole) {

        /** How a stretch is read, the same for a retailer's report and the platform's. */
        enum Read {
            /** the sums of the whole periods beginning in [from, to] */
            PERIODS,
            /** the days [from, to] as they are (a report by day) */
            DAYS,
            /** the days [from, to] of the cut period, summed into it */
            DAYS_OF_PERIOD,
            /** the cut period's sums less the days the range leaves out: fewer rows than the days it holds */
            PERIOD_LESS_DAYS
        }

        Read read(Granularity granularity) {
            if (whole) {
                return Read.PERIODS;
            }
            if (period == null) {
                return Read.DAYS;
            }
            return leftOut(granularity) < kept() ? Read.PERIOD_LESS_DAYS : Read.DAYS_OF_PERIOD;
        }

        /** The days of a cut period the range holds. */
        long kept() {
            return java.time.temporal.ChronoUnit.DAYS.between(from, to) + 1;
        }

        /** The days of a cut period the range leaves out. */
        long leftOut(Granularity granularity) {
            return java.time.temporal.ChronoUnit.DAYS.between(period, next(period, granularity)) - kept();
        }
    }

    /** The range cut into stretches, in period order: by day one; by week or month whole periods and cut ends. */
    static List<Span> spans(LocalDate from, LocalDate to, Granularity granularity) {
        List<Span> out = new ArrayList<>();
        if (granularity == Granularity.DAY) {
            out.add(new Span(from, to, null, false));
            return out;
        }
        LocalDate wholeFrom = null;
        LocalDate wholeTo = null;
        for (LocalDate p = periodOf(from, granularity); !p.isAfter(to); p = next(p, granularity)) {
            LocalDate end = next(p, granularity).minusDays(1);
            if (!p.isBefore(from) && !end.isAfter(to)) {
                wholeFrom = wholeFrom == null ? p : wholeFrom;
                wholeTo = p;
                continue;
            }
            if (wholeFrom != null) {
                out.add(new Span(wholeFrom, wholeTo, null, true));
                wholeFrom = null;
            }
            out.add(new Span(p.isBefore(from) ? from : p, end.isAfter(to) ? to : end, p, false));
        }
        if (wholeFrom != null) {
            out.add(new Span(wholeFrom, wholeTo, null, true));
        }
        return out;
    }

    static LocalDate periodOf(LocalDate day, Granularity granularity) {
        return switch (granularity) {
            case DAY -> day;
            case WEEK -> day.with(java.time.DayOfWeek.MONDAY);
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    private static LocalDate next(LocalDate period, Granularity granularity) {
        return switch (granularity) {
            case DAY -> period.plusDays(1);
            case WEEK -> period.plusWeeks(1);
            case MONTH -> period.plusMonths(1);
        };
    }

    private Uni<List<Row>> span(String retailerId, GroupBy groupBy, Granularity granularity, Span span, int limit) {
        String group = "case when $2 = 'NONE' then null else grp end";
        String sums = " orders, units, revenue, cost, fees, ship_hours / nullif(shipped_lines, 0)";
        String sql;
        Tuple args = Tuple.of(retailerId, groupBy.name(), span.from(), span.to());
        String added =
                " sum(orders), sum(units), sum(revenue), sum(cost), sum(fees), sum(ship_hours) / nullif(sum(shipped_lines), 0)";
        switch (span.read(granularity)) {
            case PERIODS -> {
                sql = "select period, " + group + ", label, currency," + sums
                        + " from sales_period where retailer_id = $1"
                        + " and dim = $2 and unit = $5 and period >= $3 and period <= $4 and orders > 0"
                        + " order by period, currency, grp limit " + limit;
                args.addString(granularity.name());
            }
            case DAYS ->
                sql = "select day, " + group + ", label, currency," + sums + " from sales_day where retailer_id = $1"
                        + " and dim = $2 and day >= $3 and day <= $4 order by day, currency, grp limit " + limit;
            case PERIOD_LESS_DAYS -> {
                sql = "select cast($5 as date), " + group + ", max(label), currency," + added + " from ("
                        + "select grp, label, currency, orders, units, revenue, cost, fees, ship_hours, shipped_lines"
                        + " from sales_period where retailer_id = $1 and dim = $2 and unit = $6 and period = $5 union all"
                        + " select grp, null, currency, -orders, -units, -revenue, -cost, -fees, -ship_hours, -shipped_lines"
                        + " from sales_day where retailer_id = $1 and dim = $2 and day >= $5 and day <= $7 and (day < $3 or day > $4)"
                        + ") x group by grp, currency having sum(orders) > 0 order by currency, grp limit " + limit;
                args.addLocalDate(span.period())
                        .addString(granularity.name())
                        .addLocalDate(next(span.period(), granularity).minusDays(1));
            }
            default -> { // DAYS_OF_PERIOD
                sql = "select cast($5 as date), " + group + ", max(label), currency," + added + " from sales_day"
                        + " where retailer_id = $1 and dim = $2 and day >= $3 and day <= $4"
                        + " group by grp, currency order by currency, grp limit " + limit;
                args.addLocalDate(span.period());
            }
        }
        return pool.preparedQuery(sql).execute(args).map(SalesAnalytics::rows);
    }

    private static List<Row> rows(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> set) {
        List<Row> out = new ArrayList<>();
        for (io.vertx.mutiny.sqlclient.Row r : set) {
            long orders = r.getLong(4);
            BigDecimal revenue = money(r.getBigDecimal(6));
            BigDecimal cost = money(r.getBigDecimal(7));
            BigDecimal fees = money(r.getBigDecimal(8));
            Double hours =
                    r.getValue(9) == null ? null : Math.round(((Number) r.getValue(9)).doubleValue() * 10) / 10.0;
            out.add(new Row(
                    r.getLocalDate(0),
                    r.getString(1),
                    r.getString(2),
                    r.getString(3).strip(),
                    orders,
                    r.getLong(5),
                    revenue,
                    cost,
                    fees,
                    revenue.subtract(cost).subtract(fees),
                    orders == 0
                            ? BigDecimal.ZERO.setScale(2)
                            : revenue.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP),
                    hours));
        }
        return out;
    }

    private static BigDecimal money(BigDecimal v) {
        return v == null ? BigDecimal.ZERO.setScale(2) : v.setScale(2, RoundingMode.HALF_UP);
    }

    /** The report as CSV (RFC 4180), a row per period and group, for a spreadsheet. */
    public static String csv(Report report) {
        StringBuilder out = new StringBuilder(
                "period,group,label,currency,orders,units,revenue,cost,fees,profit,average_order_value,"
                        + "average_hours_to_ship\r\n");
        for (Row r : report.rows()) {
            out.append(r.period())
                    .append(',')
                    .append(cell(r.group()))
                    .append(',')
                    .append(cell(r.label()))
                    .append(',')
                    .append(r.currency())
                    .append(',')
                    .append(r.orders())
                    .append(',')
                    .append(r.units())
                    .append(',')
                    .append(r.revenue().toPlainString())
                    .append(',')
                    .append(r.cost().toPlainString())
                    .append(',')
                    .append(r.fees().toPlainString())
                    .append(',')
                    .append(r.profit().toPlainString())
                    .append(',')
                    .append(r.averageOrderValue().toPlainString())
                    .append(',')
                    .append(r.averageHoursToShip() == null ? "" : r.averageHoursToShip())
                    .append("\r\n");
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
                ? "\"" + safe.replace("\"", "\"\"") + "\""
                : safe;
    }
}
