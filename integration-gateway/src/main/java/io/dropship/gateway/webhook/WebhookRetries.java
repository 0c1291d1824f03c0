package io.dropship.gateway.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.work.OwnContext;
import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Retries the store deliveries {@link WebhookIntake} kept because it could not process them, until each succeeds:
 * every round takes the due ones, each in a transaction of its own that holds its row (SKIP LOCKED, so several
 * gateway instances share the work and a redelivery of the same event waits for the round rather than racing it).
 */
@ApplicationScoped
public class WebhookRetries {

    private static final Logger LOG = Logger.getLogger(WebhookRetries.class);

    private final Vertx vertx;
    private final Mutiny.SessionFactory sessions;
    private final WebhookIntake intake;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final Duration every;
    private volatile PeriodicJob job;

    public WebhookRetries(
            Vertx vertx,
            Mutiny.SessionFactory sessions,
            WebhookIntake intake,
            ObjectMapper mapper,
            MeterRegistry meters,
            GatewayConfig config) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.intake = intake;
        this.mapper = mapper;
        this.meters = meters;
        this.every = config.webhooks().retryPoll();
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(vertx.getDelegate(), every, "webhook retries", this::retryDueDeliveries);
        intake.onQueued(this::nudge);
    }

    /** A round is asked for soon (a delivery was queued): one at a time, however many deliveries ask. */
    private final java.util.concurrent.atomic.AtomicBoolean nudged = new java.util.concurrent.atomic.AtomicBoolean();

    void nudge() {
        if (!stopped && nudged.compareAndSet(false, true)) {
            vertx.getDelegate()
                    .setTimer(
                            NUDGE_DELAY.toMillis(),
                            t -> OwnContext.run(vertx.getDelegate(), () -> {
                                        nudged.set(false);
                                        return retryDueDeliveries();
                                    })
                                    .subscribe()
                                    .with(
                                            done -> {},
                                            e -> LOG.warnf("a round of queued webhook deliveries failed: %s", e)));
        }
    }

    /** How long a nudged round waits, so that the deliveries of a burst are taken in by a few rounds, not one each. */
    static final Duration NUDGE_DELAY = Duration.ofMillis(200);

    private volatile boolean stopped;

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        if (job != null) {
            job.stop();
        }
    }

    /**
     * One round: the deliveries due now, four at a time (each in its own transaction, holding its row; a round that
     * meets a row another round holds skips it), 50 and then the next 50 while there are more.
     */
    Uni<Void> retryDueDeliveries() {
        return rounds(MAX_ROUNDS);
    }

    /** Rounds in a row at most (a burst of 1,000 queued deliveries), before the next poll or nudge goes on. */
    static final int MAX_ROUNDS = 20;

    private Uni<Void> rounds(int left) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select id from webhook_delivery where outcome = 'PENDING'"
                                        + " and next_attempt_at <= now() order by next_attempt_at limit " + ROUND,
                                Long.class)
                        .getResultList())
                .chain(ids -> Multi.createFrom()
                        .iterable(ids)
                        .onItem()
                        .transformToUni(id -> OwnContext.run(vertx.getDelegate(), () -> retry(id)))
                        .merge(4)
                        .collect()
                        .last()
                        .chain(() -> ids.size() == ROUND && left > 1
                                ? rounds(left - 1)
                                : Uni.createFrom().voidItem()));
    }

    static final int ROUND = 50;

    private Uni<Void> retry(long id) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "select store_id, topic, delivery_key, resource_id,"
                                        + " triggered_at, cast(body as text) from webhook_delivery where id = :id and outcome = 'PENDING'"
                                        + " for update skip locked",
                                Object[].class)
                        .setParameter("id", id)
                        .getResultList()
                        .chain(rows -> rows.isEmpty()
                                ? Uni.createFrom().item((WebhookIntake.Outcome) null)
                                : s.find(StoreConnection.class, rows.get(0)[0])
                                        .chain(store -> intake.process(s, delivery(store, rows.get(0))))))
                .invoke(outcome -> {
                    if (outcome != null) {
                        meters.counter("dropship.webhooks.retried", "outcome", "processed")
                                .increment();
                        LOG.infof("kept webhook delivery %d processed on retry: %s", id, outcome.outcome());
                    }
                })
                .onFailure()
                .recoverWithUni(e -> {
                    meters.counter("dropship.webhooks.retried", "outcome", "failed")
                            .increment();
                    LOG.warnf("kept webhook delivery %d failed again: %s", id, e.toString());
                    // The wait doubles with each attempt (WebhookIntake.RETRY), computed in the update so it is one
                    // statement.
                    return OwnContext.run(
                                    vertx.getDelegate(),
                                    () -> sessions.withTransaction(s -> s.createNativeQuery(
                                                    "update webhook_delivery set attempts = attempts + 1, detail = :detail,"
                                                            + " next_attempt_at = now() + make_interval(secs => least(:max,"
                                                            + " :initial * power(2, least(attempts, 20))))"
                                                            + " where id = :id and outcome = 'PENDING'")
                                            .setParameter("id", id)
                                            .setParameter(
                                                    "detail",
                                                    io.dropship.platform.sql.SqlValues.fit("will retry: " + e, 1000))
                                            .setParameter(
                                                    "initial",
                                                    WebhookIntake.RETRY
                                                                    .initial()
                                                                    .toMillis()
                                                            / 1000.0)
                                            .setParameter(
                                                    "max",
                                                    WebhookIntake.RETRY.max().toMillis() / 1000.0)
                                            .executeUpdate()))
                            .replaceWith((WebhookIntake.Outcome) null)
                            .onFailure()
                            .recoverWithItem(e2 -> {
                                LOG.warnf(
                                        "could not record the failed retry of webhook delivery %d: %s",
                                        id, e2.toString());
                                return null;
                            });
                })
                .replaceWithVoid();
    }

    private WebhookIntake.Delivery delivery(StoreConnection store, Object[] row) {
        try {
            return new WebhookIntake.Delivery(
                    store,
                    (String) row[1],
                    (String) row[2],
                    (String) row[3],
                    SqlValues.instant(row[4]),
                    mapper.readTree((String) row[5]));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a kept delivery's body is not JSON", e);
        }
    }
}
