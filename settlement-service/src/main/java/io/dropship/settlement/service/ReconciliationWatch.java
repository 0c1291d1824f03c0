package io.dropship.settlement.service;

import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Reconciles yesterday and today against Stripe every {@code dropship.settlement.reconcile-every} and reports the
 * mismatches as a gauge, {@code dropship_settlement_reconciliation_mismatches{day}}: yesterday's are what the
 * ReconciliationMismatches alert pages on (today's include supplier orders shipped and not paid out yet, which the
 * Stripe calls job settles in its next rounds). The full report, mismatch by mismatch, is GET /api/reconciliation.
 */
@ApplicationScoped
public class ReconciliationWatch {

    private final Reconciliation reconciliation;
    private final Vertx vertx;
    private final Duration every;
    private final Duration first;
    private final Clock clock;
    private final AtomicLong yesterday = new AtomicLong();
    private final AtomicLong today = new AtomicLong();
    private volatile PeriodicJob job;

    @jakarta.inject.Inject
    org.hibernate.reactive.mutiny.Mutiny.SessionFactory sessions;

    @jakarta.inject.Inject
    io.dropship.platform.outbox.Outbox outbox;

    public ReconciliationWatch(
            Reconciliation reconciliation,
            Vertx vertx,
            MeterRegistry meters,
            @ConfigProperty(name = "dropship.settlement.reconcile-every", defaultValue = "PT15M") Duration every,
            @ConfigProperty(name = "dropship.settlement.reconcile-first", defaultValue = "PT1M") Duration first) {
        this.reconciliation = reconciliation;
        this.vertx = vertx;
        this.every = every;
        this.first = first;
        this.clock = Clock.systemUTC();
        meters.gauge("dropship.settlement.reconciliation.mismatches", Tags.of("day", "yesterday"), yesterday);
        meters.gauge("dropship.settlement.reconciliation.mismatches", Tags.of("day", "today"), today);
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(vertx.getDelegate(), first, every, "reconciliation watch", this::check);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    Uni<Void> check() {
        LocalDate now = LocalDate.now(clock);
        return reconciliation
                .day(now.minusDays(1), null)
                .invoke(r -> yesterday.set(r.mismatches().size()))
                .call(r -> announce(r, true))
                .chain(() -> reconciliation.day(now, null))
                .invoke(r -> today.set(r.mismatches().size()))
                .call(r -> announce(r, false))
                .replaceWithVoid();
    }

    /** ReconciliationMismatch as this service writes it (contracts/events/ReconciliationMismatch.schema.json). */
    public record ReconciliationMismatch(
            java.time.LocalDate day,
            String kind,
            String reference,
            String supplierId,
            java.math.BigDecimal ledgerAmount,
            java.math.BigDecimal stripeAmount,
            String detail,
            java.time.Instant foundAt) {
        public static final String TOPIC = "ReconciliationMismatch";
    }

    /**
     * Announces each mismatch of the day once (staff are told): of a past day all of them; of today those that are not
     * money still on its way (a supplier order shipped today and not paid out yet is normal until the Stripe calls job's next round).
     */
    public Uni<Void> announce(Reconciliation.Report report, boolean dayIsOver) {
        List<Reconciliation.Mismatch> alerts = report.mismatches().stream()
                .filter(m -> dayIsOver || !m.kind().equals("SHIPPED_NOT_PAID_OUT"))
                .toList();
        if (alerts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return sessions.withTransaction(s -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Reconciliation.Mismatch m : alerts) {
                chain = chain.chain(() -> s.createNativeQuery(
                                "insert into reconciliation_alert (day, kind, reference, found_at)"
                                        + " values (:d, :k, :r, now()) on conflict do nothing")
                        .setParameter("d", report.date())
                        .setParameter("k", m.kind())
                        .setParameter("r", String.valueOf(m.reference()))
                        .executeUpdate()
                        .chain(n -> n == 0
                                ? Uni.createFrom().voidItem()
                                : outbox.publish(
                                                s,
                                                ReconciliationMismatch.TOPIC,
                                                report.date().toString(),
                                                new ReconciliationMismatch(
                                                        report.date(),
                                                        m.kind(),
                                                        String.valueOf(m.reference()),
                                                        m.supplierId(),
                                                        m.ledgerAmount(),
                                                        m.stripeAmount(),
                                                        m.detail(),
                                                        java.time.Instant.now()))
                                        .replaceWithVoid()));
            }
            return chain;
        });
    }
}
