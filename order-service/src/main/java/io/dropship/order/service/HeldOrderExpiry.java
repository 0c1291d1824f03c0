package io.dropship.order.service;

import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Cancels orders held longer than their retailer allows ({@code cancelHeldAfterDays} in the retailer's order
 * settings): each is cancelled as a person would cancel it (what was reserved is released and refunded), its store
 * is told with the retailer's words for the customer, and the order's actions record the expiry. Every instance
 * polls; each order is cancelled under its lock, so two instances cancel it once.
 */
@ApplicationScoped
public class HeldOrderExpiry {

    private static final Logger LOG = Logger.getLogger(HeldOrderExpiry.class);
    /** At most this many orders per poll, the longest held first. */
    static final int PER_POLL = 100;

    public static final String DEFAULT_MESSAGE =
            "We are sorry: an item in your order could not be supplied, so we cancelled"
                    + " the order and you will be refunded in full.";

    private record Due(UUID orderId, int days, String message) {}

    private final Mutiny.SessionFactory sessions;
    private final Cancellations cancellations;
    private final io.vertx.mutiny.core.Vertx vertx;
    private final Duration every;
    private final Counter expired;
    private volatile PeriodicJob job;

    public HeldOrderExpiry(
            Mutiny.SessionFactory sessions,
            Cancellations cancellations,
            io.vertx.mutiny.core.Vertx vertx,
            MeterRegistry meters,
            @ConfigProperty(name = "dropship.orders.held-expiry-every", defaultValue = "PT5M") Duration every) {
        this.sessions = sessions;
        this.cancellations = cancellations;
        this.vertx = vertx;
        this.every = every;
        this.expired = Counter.builder("dropship.orders.held.expired")
                .description("Held orders cancelled because they were held longer than their retailer allows")
                .register(meters);
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(vertx.getDelegate(), every, every, "held order expiry", this::poll);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    Uni<Void> poll() {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select o.id, r.cancel_held_after_days, r.customer_message"
                                        + " from customer_order o join retailer_order_settings r on r.retailer_id = o.retailer_id"
                                        + " where o.status = 'ON_HOLD' and r.cancel_held_after_days is not null"
                                        + " and o.held_at < now() - make_interval(days => r.cancel_held_after_days)"
                                        + " order by o.held_at limit :n",
                                Object[].class)
                        .setParameter("n", PER_POLL)
                        .getResultList())
                .onItem()
                .transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .map(r -> new Due(
                        (UUID) r[0], ((Number) r[1]).intValue(), r[2] == null ? DEFAULT_MESSAGE : (String) r[2]))
                .onItem()
                .transformToUniAndConcatenate(due -> cancellations
                        .expire(sessions, due.orderId(), due.days(), due.message())
                        .invoke(done -> {
                            if (done) {
                                expired.increment();
                                LOG.infof(
                                        "order %s was held longer than its retailer's %d days: cancelled, at its store too",
                                        due.orderId(), due.days());
                            }
                        }))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
