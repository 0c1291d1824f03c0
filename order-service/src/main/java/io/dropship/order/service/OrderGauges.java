package io.dropship.order.service;

import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Orders on hold, by reason, for the order pipeline dashboard: {@code unroutable} (no supplier can take a line: the
 * order is ON_HOLD) and {@code payment} (the retailer's charge failed and nothing has cleared it since: its supplier
 * orders wait). Counted from the database, so every instance reports the same figure.
 */
@ApplicationScoped
public class OrderGauges {

    private final Mutiny.SessionFactory sessions;
    private final io.vertx.mutiny.core.Vertx vertx;
    private final Duration every;
    private final AtomicLong unroutable = new AtomicLong();
    private final AtomicLong payment = new AtomicLong();
    private volatile PeriodicJob job;

    public OrderGauges(
            Mutiny.SessionFactory sessions,
            io.vertx.mutiny.core.Vertx vertx,
            MeterRegistry meters,
            @ConfigProperty(name = "dropship.orders.gauges-every", defaultValue = "PT15S") Duration every) {
        this.sessions = sessions;
        this.vertx = vertx;
        this.every = every;
        meters.gauge("dropship.orders.on.hold", Tags.of("reason", "unroutable"), unroutable);
        meters.gauge("dropship.orders.on.hold", Tags.of("reason", "payment"), payment);
        this.openCases = io.micrometer.core.instrument.MultiGauge.builder("dropship.cases.open")
                .description("Cases not resolved yet, by kind and supplier")
                .register(meters);
    }

    private final io.micrometer.core.instrument.MultiGauge openCases;

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(vertx.getDelegate(), Duration.ofSeconds(1), every, "order gauges", this::measure);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    Uni<Void> measure() {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select"
                                        + " (select count(*) from customer_order where status = 'ON_HOLD'),"
                                        + " (select count(distinct order_id) from order_payment where failed_at is not null"
                                        + "  and credit_at is null and charged_at is null)",
                                Object[].class)
                        .getSingleResult())
                .invoke(r -> {
                    unroutable.set(((Number) r[0]).longValue());
                    payment.set(((Number) r[1]).longValue());
                })
                .chain(() ->
                        sessions.withSession(s -> s.createNativeQuery(Cases.OPEN_BY_KIND_AND_SUPPLIER, Object[].class)
                                .getResultList()))
                .invoke(rows -> openCases.register(
                        rows.stream()
                                .map(r -> io.micrometer.core.instrument.MultiGauge.Row.of(
                                        Tags.of("kind", (String) r[0], "supplier", (String) r[1]),
                                        ((Number) r[2]).doubleValue()))
                                .toList(),
                        true))
                .replaceWithVoid();
    }
}
