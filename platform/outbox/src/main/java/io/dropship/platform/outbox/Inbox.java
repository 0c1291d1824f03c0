package io.dropship.platform.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Applies each event at most once in effect per consumer. The event id is inserted into
 * {@code consumed_event} first, in the same transaction as the effect; when the row already exists the
 * event was applied before and the effect is skipped. A transient failure is retried with backoff; a
 * {@link PoisonMessageException}, or a failure that outlasts the retries, fails the message so that the
 * channel's dead-letter strategy takes it off the partition.
 */
@ApplicationScoped
public class Inbox {

    private static final Logger LOG = Logger.getLogger(Inbox.class);

    /** The effect of one event, run inside the transaction that records it. */
    @FunctionalInterface
    public interface Effect<T> {
        Uni<?> apply(Mutiny.Session session, IncomingEvent event, T payload);
    }

    private final Mutiny.SessionFactory sessions;
    private final ObjectMapper mapper;
    private final OutboxConfig config;
    private final MeterRegistry meters;

    public Inbox(Mutiny.SessionFactory sessions, ObjectMapper mapper, OutboxConfig config, MeterRegistry meters) {
        this.sessions = sessions;
        this.mapper = mapper;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Reads the record's payload as {@code payloadType} (a tolerant reader: unknown fields are ignored) and
     * applies the effect once for this consumer.
     */
    public <T> Uni<Void> apply(String consumer, ConsumerRecord<String, String> record, Class<T> payloadType,
                               Effect<T> effect) {
        IncomingEvent event;
        T payload;
        try {
            event = IncomingEvent.from(record);
            payload = mapper.readValue(event.payload(), payloadType);
        } catch (IOException e) {
            meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "poison").increment();
            return Uni.createFrom().failure(new PoisonMessageException("event on " + record.topic()
                    + " is not a readable " + payloadType.getSimpleName() + ": " + e.getMessage(), e));
        } catch (PoisonMessageException e) {
            meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "poison").increment();
            return Uni.createFrom().failure(e);
        }
        Context context = Vertx.currentContext();
        return withRetries(() -> once(consumer, event, payload, effect), config.inbox().retries(),
                config.inbox().firstBackoff(), context)
                .onFailure().invoke(e -> {
                    meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "failed").increment();
                    LOG.errorf(e, "%s could not apply event %s from %s; it goes to the dead-letter topic",
                            consumer, event.eventId(), event.topic());
                });
    }

    private <T> Uni<Void> once(String consumer, IncomingEvent event, T payload, Effect<T> effect) {
        return sessions.withTransaction(session -> firstDelivery(session, consumer, event.eventId())
                .chain(first -> {
                    if (!first) {
                        meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "duplicate").increment();
                        LOG.debugf("%s already applied event %s; skipped", consumer, event.eventId());
                        return Uni.createFrom().voidItem();
                    }
                    return effect.apply(session, event, payload).invoke(() -> meters
                            .counter("dropship.inbox.events", "consumer", consumer, "outcome", "applied").increment())
                            .replaceWithVoid();
                }));
    }

    /**
     * Records that the consumer applies the event now; {@code false} when it already had. Insert-first: a
     * concurrent duplicate blocks on the unique key instead of slipping through a check.
     */
    public Uni<Boolean> firstDelivery(Mutiny.Session session, String consumer, String eventId) {
        return session.createNativeQuery("insert into consumed_event (consumer, event_id) values (:c, :e)"
                        + " on conflict do nothing")
                .setParameter("c", consumer)
                .setParameter("e", eventId)
                .executeUpdate()
                .map(rows -> rows == 1);
    }

    private static Uni<Void> withRetries(Supplier<Uni<Void>> attempt, int retriesLeft, Duration backoff, Context context) {
        return attempt.get().onFailure(e -> retriesLeft > 0 && !(e instanceof PoisonMessageException))
                .recoverWithUni(e -> {
                    LOG.warnf("retrying after %s: %s", backoff, e.toString());
                    return delay(backoff, context)
                            .chain(() -> withRetries(attempt, retriesLeft - 1, backoff.multipliedBy(2), context));
                });
    }

    /** Waits on the caller's Vert.x context, so that the retried attempt gets its reactive session there too. */
    private static Uni<Void> delay(Duration backoff, Context context) {
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(backoff);
        }
        return Uni.createFrom().emitter(emitter -> context.owner().setTimer(Math.max(1, backoff.toMillis()),
                id -> context.runOnContext(ignored -> emitter.complete(null))));
    }
}
