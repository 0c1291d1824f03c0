package io.dropship.order.service;

import io.dropship.platform.work.PeriodicJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * How each supplier performs over a rolling window, from the supplier orders handed to it (reserved, so the supplier
 * saw them): how fast it ships (routed to shipped), how often it rejects, ships within its promised handling days
 * (an unshipped order past its deadline counts as late), and how often its orders are cancelled. The result is
 * routing's reliability signal: {@code supplier_view.reliability}, refreshed on an interval, so that between two
 * equally priced offers the supplier that performs better gets the order.
 */
@ApplicationScoped
public class SupplierPerformance {

    /** Orders that weigh as much as a perfect record: a new supplier starts near 1 and moves with its own record. */
    static final int PRIOR_ORDERS = 5;

    public record Stats(
            String supplierId,
            int handlingDays,
            long handed,
            long shipped,
            long rejected,
            long cancelled,
            long onTime,
            long overdue,
            Double avgHoursToShip,
            Double p50HoursToShip,
            Double p90HoursToShip,
            BigDecimal rejectionRate,
            BigDecimal cancellationRate,
            BigDecimal onTimeRate,
            BigDecimal reliability,
            String window,
            long cases,
            BigDecimal caseRate) {}

    private static final String STATS = """
            with so as (
              select o.supplier_id, o.status, o.created_at, o.shipped_at, coalesce(v.handling_days, 3) as handling_days
              from supplier_order o left join supplier_view v on v.supplier_id = o.supplier_id
              where o.created_at >= now() - make_interval(secs => :window)
                and o.status not in ('ROUTED', 'REFUSED')
                and (cast(:supplier as text) is null or o.supplier_id = :supplier)
            ), cases as (
              select supplier_id, count(*) as n from order_case
              where opened_at >= now() - make_interval(secs => :window) and supplier_id is not null
                and kind <> 'DISPUTE' and coalesce(outcome, '') <> 'NO_ACTION'
              group by supplier_id
            )
            select so.supplier_id, max(handling_days),
                   count(*),
                   count(*) filter (where status in ('SHIPPED', 'DELIVERED')),
                   count(*) filter (where status = 'REJECTED'),
                   count(*) filter (where status = 'CANCELLED'),
                   count(*) filter (where status in ('SHIPPED', 'DELIVERED')
                                    and shipped_at <= created_at + make_interval(days => handling_days)),
                   count(*) filter (where status = 'RESERVED' and now() > created_at + make_interval(days => handling_days)),
                   cast(avg(extract(epoch from shipped_at - created_at)) filter (where shipped_at is not null) as float8),
                   cast(percentile_cont(0.5) within group (order by extract(epoch from shipped_at - created_at))
                        filter (where shipped_at is not null) as float8),
                   cast(percentile_cont(0.9) within group (order by extract(epoch from shipped_at - created_at))
                        filter (where shipped_at is not null) as float8),
                   coalesce(max(cases.n), 0)
            from so left join cases on cases.supplier_id = so.supplier_id group by so.supplier_id order by so.supplier_id
            """;

    /**
     * SupplierScored (contracts/events/SupplierScored.schema.json): a supplier's reliability moved, with the rates behind
     * it; catalog-service shows it as the supplier's rating in the directory.
     */
    public record SupplierScored(
            String supplierId,
            BigDecimal reliability,
            BigDecimal onTimeRate,
            BigDecimal rejectionRate,
            BigDecimal caseRate,
            long orders,
            String window,
            java.time.Instant scoredAt) {
        public static final String TOPIC = "SupplierScored";
    }

    private final Mutiny.SessionFactory sessions;
    private final io.dropship.platform.outbox.Outbox outbox;
    private final Vertx vertx;
    private final Duration window;
    private final Duration refreshEvery;
    private volatile PeriodicJob job;

    public SupplierPerformance(
            Mutiny.SessionFactory sessions,
            io.dropship.platform.outbox.Outbox outbox,
            Vertx vertx,
            @ConfigProperty(name = "dropship.performance.window", defaultValue = "P30D") Duration window,
            @ConfigProperty(name = "dropship.performance.refresh-every", defaultValue = "PT1M") Duration refreshEvery) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.vertx = vertx;
        this.window = window;
        this.refreshEvery = refreshEvery;
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(vertx.getDelegate(), refreshEvery, "supplier performance refresh", this::refresh);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** Every supplier with orders in the window, or one supplier (null when it has none). */
    @SuppressWarnings("unchecked")
    public Uni<List<Stats>> stats(String supplierId) {
        return sessions.withSession(s -> s.createNativeQuery(STATS, Object[].class)
                .setParameter("window", (double) window.toSeconds())
                .setParameter("supplier", supplierId)
                .getResultList()
                .map(rows -> rows.stream().map(this::row).toList()));
    }

    /**
     * Writes each supplier's reliability where routing reads it; a supplier with no orders left in the window goes
     * back to 1. Each one that moved is announced (SupplierScored), in the same transaction. Answers how many changed.
     */
    public Uni<Integer> refresh() {
        return stats(null)
                .chain(all -> sessions.withTransaction(s -> {
                    Uni<List<String>> reset = s.createNativeQuery(
                                    "update supplier_view set reliability = 1 where reliability <> 1"
                                            + " and supplier_id not in (select supplier_id from supplier_order"
                                            + " where created_at >= now() - make_interval(secs => :window) and status not in ('ROUTED', 'REFUSED'))"
                                            + " returning supplier_id",
                                    String.class)
                            .setParameter("window", (double) window.toSeconds())
                            .getResultList();
                    return reset.chain(back -> Multi.createFrom()
                            .iterable(back)
                            .onItem()
                            .transformToUniAndConcatenate(id -> scored(s, empty(id)))
                            .collect()
                            .asList()
                            .chain(() -> moved(s, all))
                            .call(moved -> Multi.createFrom()
                                    .iterable(moved)
                                    .onItem()
                                    .transformToUniAndConcatenate(st -> scored(s, st))
                                    .collect()
                                    .asList())
                            .map(moved -> back.size() + moved.size()));
                }));
    }

    /**
     * Writes every measured supplier's reliability in one statement and answers those whose reliability moved, in the
     * measurement's order (a statement per supplier was a round trip each, every refresh, for every supplier with
     * orders in the window).
     */
    private static Uni<List<Stats>> moved(Mutiny.Session s, List<Stats> all) {
        if (all.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return s.createNativeQuery(
                        "update supplier_view v set reliability = t.r from unnest(cast(:ids as text[]),"
                                + " cast(:rs as numeric[])) as t (id, r) where v.supplier_id = t.id and v.reliability <> t.r"
                                + " returning v.supplier_id",
                        String.class)
                .setParameter("ids", all.stream().map(Stats::supplierId).toArray(String[]::new))
                .setParameter("rs", all.stream().map(Stats::reliability).toArray(BigDecimal[]::new))
                .getResultList()
                .map(ids -> {
                    java.util.Set<String> changed = new java.util.HashSet<>(ids);
                    return all.stream()
                            .filter(st -> changed.contains(st.supplierId()))
                            .toList();
                });
    }

    private Uni<Void> scored(Mutiny.Session s, Stats st) {
        return outbox.publish(
                        s,
                        SupplierScored.TOPIC,
                        st.supplierId(),
                        new SupplierScored(
                                st.supplierId(),
                                st.reliability(),
                                st.onTimeRate(),
                                st.rejectionRate(),
                                st.caseRate(),
                                st.handed(),
                                st.window(),
                                java.time.Instant.now()))
                .replaceWithVoid();
    }

    /** A supplier with no orders in the window: nothing measured, full reliability. */
    public Stats empty(String supplierId) {
        BigDecimal zero = BigDecimal.ZERO.setScale(3);
        BigDecimal one = BigDecimal.ONE.setScale(3);
        return new Stats(
                supplierId, 0, 0, 0, 0, 0, 0, 0, null, null, null, zero, zero, one, one, window.toString(), 0, zero);
    }

    private Stats row(Object[] r) {
        long handed = n(r[2]);
        long shipped = n(r[3]);
        long rejected = n(r[4]);
        long cancelled = n(r[5]);
        long onTime = n(r[6]);
        long overdue = n(r[7]);
        BigDecimal rejection = rate(rejected, handed);
        BigDecimal cancellation = rate(cancelled, handed);
        BigDecimal punctual = shipped + overdue == 0 ? BigDecimal.ONE.setScale(3) : rate(onTime, shipped + overdue);
        long cases = n(r[11]);
        BigDecimal caseRate = rate(Math.min(cases, handed), handed);
        return new Stats(
                (String) r[0],
                ((Number) r[1]).intValue(),
                handed,
                shipped,
                rejected,
                cancelled,
                onTime,
                overdue,
                hours(r[8]),
                hours(r[9]),
                hours(r[10]),
                rejection,
                cancellation,
                punctual,
                reliability(handed, punctual, rejection, cancellation, caseRate),
                window.toString(),
                cases,
                caseRate);
    }

    /**
     * Four tenths on-time shipping, a quarter not rejecting, 15% not being cancelled, a fifth not having cases opened
     * against it (missing, damaged, wrong or late items; cases closed with no action do not count); blended with a
     * perfect record worth {@link #PRIOR_ORDERS} orders, so that one bad order of a new supplier does not sink it.
     */
    static BigDecimal reliability(
            long handed,
            BigDecimal onTimeRate,
            BigDecimal rejectionRate,
            BigDecimal cancellationRate,
            BigDecimal caseRate) {
        double score = 0.4 * onTimeRate.doubleValue()
                + 0.25 * (1 - rejectionRate.doubleValue())
                + 0.15 * (1 - cancellationRate.doubleValue())
                + 0.2 * (1 - caseRate.doubleValue());
        double blended = (handed * score + PRIOR_ORDERS) / (handed + PRIOR_ORDERS);
        return BigDecimal.valueOf(Math.max(0, Math.min(1, blended))).setScale(3, RoundingMode.HALF_UP);
    }

    private static BigDecimal rate(long part, long whole) {
        return whole == 0
                ? BigDecimal.ZERO.setScale(3)
                : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 3, RoundingMode.HALF_UP);
    }

    private static long n(Object o) {
        return o == null ? 0 : ((Number) o).longValue();
    }

    private static Double hours(Object seconds) {
        return seconds == null ? null : Math.round(((Number) seconds).doubleValue() / 36.0) / 100.0;
    }
}
