package io.dropship.platform.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.platform.work.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Applies each event at most once in effect per consumer. The event id is inserted into
 * {@code consumed_event} first, in the same transaction as the effect; when the row already exists the
 * event was applied before and the effect is skipped.
 *
 * <p>Failures are told apart ({@link Failures}): a transient one (the database or the broker unreachable, a
 * serialization conflict) is retried with capped exponential backoff for as long as it lasts, and the channel
 * waits meanwhile (a channel hands over its next record only when this one is done, and the connector pauses
 * its partitions when its buffer is full), so nothing behind it is skipped. Poison (a record that cannot be
 * read or breaks its contract) fails the message at once, and a failure of unknown kind after a few retries,
 * so that the channel's dead-letter strategy takes it off the partition, where it can be read and replayed.
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
    /** Per consumer, how many events wait for a dependency to come back (a gauge ops can alert on). */
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    /** Channel to consumer name, read from the configuration once. */
    private final Map<String, String> consumers = new ConcurrentHashMap<>();

    private final jakarta.enterprise.inject.Instance<DeadLetters> deadLetters;

    public Inbox(
            Mutiny.SessionFactory sessions,
            ObjectMapper mapper,
            OutboxConfig config,
            MeterRegistry meters,
            jakarta.enterprise.inject.Instance<DeadLetters> deadLetters) {
        this.deadLetters = deadLetters;
        this.sessions = sessions;
        this.mapper = mapper;
        this.config = config;
        this.meters = meters;
    }

    /**
     * Reads the record's payload as {@code payloadType} (a tolerant reader: unknown fields are ignored) and
     * applies the effect once for the channel's consumer. The consumer is named by the channel's Kafka group
     * ({@code mp.messaging.incoming.<channel>.group.id}), so its name is written once, in the configuration.
     */
    public <T> Uni<Void> apply(
            String channel, ConsumerRecord<String, String> record, Class<T> payloadType, Effect<T> effect) {
        String consumer = consumerOf(channel);
        track(consumer);
        IncomingEvent event;
        T payload;
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            event = IncomingEvent.from(record);
            // Read once: the tree gives the payload and, for the log context, the order id.
            tree = mapper.readTree(event.payload());
            payload = mapper.treeToValue(tree, payloadType);
        } catch (IOException e) {
            meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "poison")
                    .increment();
            return Uni.createFrom()
                    .failure(new PoisonMessageException(
                            "event on " + record.topic() + " is not a readable " + payloadType.getSimpleName() + ": "
                                    + e.getMessage(),
                            e));
        } catch (PoisonMessageException e) {
            meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "poison")
                    .increment();
            return Uni.createFrom().failure(e);
        }
        Context context = Vertx.currentContext();
        logContext(event, tree);
        return withRetries(
                        consumer,
                        "event " + event.eventId() + " from " + event.topic(),
                        () -> once(consumer, event, payload, effect),
                        context)
                .onFailure()
                .invoke(e -> {
                    gaveUp(consumer, e);
                    LOG.errorf(
                            e,
                            "%s could not apply event %s from %s; it goes to the dead-letter topic",
                            consumer,
                            event.eventId(),
                            event.topic());
                });
    }

    /**
     * Every log line written while the event is applied names it (eventId) and, for an order's events, the order
     * (orderId): the JSON logs of production carry both beside the trace id. The message runs on a context of its own
     * (SmallRye's duplicated context), so the values go with it.
     */
    private static void logContext(IncomingEvent event, com.fasterxml.jackson.databind.JsonNode payload) {
        org.jboss.logging.MDC.put("eventId", event.eventId());
        com.fasterxml.jackson.databind.JsonNode orderId = payload == null ? null : payload.get("orderId");
        if (orderId != null && orderId.isTextual()) {
            org.jboss.logging.MDC.put("orderId", orderId.asText());
        } else {
            org.jboss.logging.MDC.remove("orderId");
        }
    }

    /**
     * The consumer reading the channel: its group id. A channel (it has a connector) without one is a configuration
     * error. A handler reached through a channel it shares with other handlers (a service's {@code occasional} channel
     * reads several low-volume topics with one Kafka consumer and hands each record to its topic's handler) is named
     * as it would be as a channel of its own, {@code <service>.<handler>}: its inbox records, metrics and dead letters
     * keep that name whichever consumer reads its topic.
     */
    public String consumerOf(String channel) {
        return consumers.computeIfAbsent(channel, c -> {
            org.eclipse.microprofile.config.Config config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
            String prefix = "mp.messaging.incoming." + c + ".";
            return config.getOptionalValue(prefix + "group.id", String.class).orElseGet(() -> {
                if (config.getOptionalValue(prefix + "connector", String.class).isPresent()) {
                    throw new IllegalStateException("channel " + c + " has no " + prefix
                            + "group.id: its group id names its consumer in the inbox");
                }
                return config.getValue("quarkus.application.name", String.class) + "." + c;
            });
        });
    }

    private <T> Uni<Void> once(String consumer, IncomingEvent event, T payload, Effect<T> effect) {
        return sessions.withTransaction(session -> onceIn(session, consumer, event, payload, effect));
    }

    /** The event's effect in the session's transaction, unless the consumer applied it before. */
    private <T> Uni<Void> onceIn(
            Mutiny.Session session, String consumer, IncomingEvent event, T payload, Effect<T> effect) {
        return firstDelivery(session, consumer, event.eventId()).chain(first -> {
            if (!first) {
                meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "duplicate")
                        .increment();
                LOG.debugf("%s already applied event %s; skipped", consumer, event.eventId());
                return Uni.createFrom().voidItem();
            }
            return effect.apply(session, event, payload)
                    .invoke(() -> meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "applied")
                            .increment())
                    .replaceWithVoid();
        });
    }

    /** A record of a batch, read. */
    private record Read<T>(ConsumerRecord<String, String> record, IncomingEvent event, JsonNode tree, T payload) {}

    /**
     * For a channel that reads a poll's worth at a time ({@code batch=true}): applies each event once, as
     * {@link #apply} does, but the whole batch in one transaction, the events in their order, so that a poll of many
     * events costs one commit rather than one each. A record that cannot be read goes to the channel's dead-letter
     * topic and the rest of the batch is kept. A transient failure holds the batch and retries it; any other failure
     * has the batch applied again event by event, each in its own transaction under {@link #apply}'s rules, and an
     * event that still fails goes to the dead-letter topic alone.
     */
    public <T> Uni<Void> applyAll(
            String channel, ConsumerRecords<String, String> records, Class<T> payloadType, Effect<T> effect) {
        String consumer = consumerOf(channel);
        track(consumer);
        List<Read<T>> reads = new ArrayList<>(records.count());
        List<Uni<Void>> poison = new ArrayList<>();
        for (ConsumerRecord<String, String> record : records) {
            try {
                IncomingEvent event = IncomingEvent.from(record);
                JsonNode tree = mapper.readTree(event.payload());
                reads.add(new Read<>(record, event, tree, mapper.treeToValue(tree, payloadType)));
            } catch (IOException | PoisonMessageException e) {
                meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "poison")
                        .increment();
                poison.add(Uni.createFrom().deferred(() -> deadLetter(channel, record, e.getMessage())));
            }
        }
        Uni<Void> deadLettered = poison.isEmpty()
                ? Uni.createFrom().voidItem()
                : Uni.join().all(poison).andFailFast().replaceWithVoid();
        if (reads.isEmpty()) {
            return deadLettered;
        }
        Context context = Vertx.currentContext();
        return deadLettered.chain(() -> withRetries(
                        consumer,
                        "a batch of " + reads.size() + " events",
                        () -> sessions.withTransaction(session -> Multi.createFrom()
                                .iterable(reads)
                                .onItem()
                                .transformToUniAndConcatenate(read -> {
                                    logContext(read.event(), read.tree());
                                    return onceIn(session, consumer, read.event(), read.payload(), effect);
                                })
                                .collect()
                                .last()),
                        context)
                .replaceWithVoid()
                .onFailure()
                .recoverWithUni(batchFailure -> Multi.createFrom()
                        .iterable(reads)
                        .onItem()
                        .transformToUniAndConcatenate(read -> {
                            logContext(read.event(), read.tree());
                            return withRetries(
                                            consumer,
                                            "event " + read.event().eventId() + " from "
                                                    + read.event().topic(),
                                            () -> once(consumer, read.event(), read.payload(), effect),
                                            context)
                                    .onFailure()
                                    .recoverWithUni(e -> {
                                        gaveUp(consumer, e);
                                        return deadLetter(channel, read.record(), e.toString());
                                    });
                        })
                        .collect()
                        .last()
                        .replaceWithVoid()));
    }

    /** Counts an event the consumer gave up on (it goes to the dead-letter topic): poison, or failed. */
    private void gaveUp(String consumer, Throwable e) {
        meters.counter(
                        "dropship.inbox.events",
                        "consumer",
                        consumer,
                        "outcome",
                        Failures.classify(e) == Failures.Kind.POISON ? "poison" : "failed")
                .increment();
    }

    private Uni<Void> deadLetter(String channel, ConsumerRecord<String, String> record, String reason) {
        if (!deadLetters.isResolvable()) {
            return Uni.createFrom()
                    .failure(new IllegalStateException("no dead-letter topic writer for " + channel + ": " + reason));
        }
        return deadLetters.get().deadLetter(channel, record, reason);
    }

    /**
     * Records that the consumer applies the event now; {@code false} when it already had. Insert-first: a
     * concurrent duplicate blocks on the unique key instead of slipping through a check.
     */
    public Uni<Boolean> firstDelivery(Mutiny.Session session, String consumer, String eventId) {
        return session.createNativeQuery(
                        "insert into consumed_event (consumer, event_id) values (:c, :e)" + " on conflict do nothing")
                .setParameter("c", consumer)
                .setParameter("e", eventId)
                .executeUpdate()
                .map(rows -> rows == 1);
    }

    /**
     * For a batch consumer: records in the caller's transaction that the consumer applies these events now, and
     * returns the ids it had not applied before, each once (an id twice in the batch, a redelivery, comes back once).
     * One statement for the batch; the duplicates are counted as {@link #apply}'s are, the applied ones by
     * {@link #applied} once the batch's transaction has committed.
     */
    public Uni<Set<String>> firstDeliveries(SqlConnection c, String consumer, List<String> eventIds) {
        track(consumer);
        return c.preparedQuery("insert into consumed_event (consumer, event_id) select $1, e from unnest($2::text[]) e"
                        + " on conflict do nothing returning event_id")
                .execute(Tuple.tuple().addString(consumer).addArrayOfString(eventIds.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>();
                    rows.forEach(row -> fresh.add(row.getString(0)));
                    int duplicates = eventIds.size() - fresh.size();
                    if (duplicates > 0) {
                        meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "duplicate")
                                .increment(duplicates);
                        LOG.debugf(
                                "%s already applied %d events of a batch of %d; skipped",
                                consumer, duplicates, eventIds.size());
                    }
                    return fresh;
                });
    }

    /** Counts events a batch consumer has applied (its transaction committed). */
    public void applied(String consumer, int events) {
        meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "applied")
                .increment(events);
    }

    /**
     * Runs work that is not an event's effect (recording a dead letter, say) under the same rules: retried while
     * its failure is transient, a few times when it is unknown, never when it is poison.
     */
    public Uni<Void> retrying(String consumer, String what, Supplier<Uni<Void>> attempt) {
        return withRetries(consumer, what, attempt, Vertx.currentContext());
    }

    /**
     * Tries the attempt until it succeeds, fails as poison, or fails in an unknown way more than the configured
     * number of times. A transient failure is retried however long it lasts: the event is valid and the dependency
     * will come back. The retries are a loop over the stream of failures, not a recursion, so a day-long outage does
     * not build a day-long chain.
     */
    private Uni<Void> withRetries(String consumer, String what, Supplier<Uni<Void>> attempt, Context context) {
        Retry retry = new Retry();
        return Uni.createFrom()
                .<Void>deferred(attempt::get)
                .onFailure(e -> Failures.classify(e) != Failures.Kind.POISON)
                .retry()
                .when(failures -> failures.onItem().transformToUniAndConcatenate(e -> {
                    Failures.Kind kind = Failures.classify(e);
                    retry.attempts++;
                    if (kind == Failures.Kind.UNKNOWN
                            && ++retry.unknownFailures > config.inbox().retries()) {
                        return Uni.createFrom().failure(e);
                    }
                    if (kind == Failures.Kind.TRANSIENT) {
                        meters.counter("dropship.inbox.events", "consumer", consumer, "outcome", "retried")
                                .increment();
                        if (!retry.waiting) {
                            retry.waiting = true;
                            waiting(consumer).incrementAndGet();
                        }
                    }
                    Duration backoff = new Backoff(
                                    config.inbox().firstBackoff(),
                                    config.inbox().maxBackoff())
                            .after(retry.attempts);
                    LOG.warnf(
                            "%s: %s failed (%s, attempt %d); retrying in %s: %s",
                            consumer, what, kind, retry.attempts, backoff, e.toString());
                    // An item (not null: a Multi drops those) tells the retry to go again.
                    return delay(backoff, context).replaceWith(kind);
                }))
                .onTermination()
                .invoke(() -> {
                    if (retry.waiting) {
                        waiting(consumer).decrementAndGet();
                    }
                });
    }

    /** One event's retries so far. */
    private static final class Retry {
        int attempts;
        int unknownFailures;
        boolean waiting;
    }

    /**
     * The consumer's gauges exist from its first event on, at 0 (dropship_inbox_waiting, dropship_dead_letters), so
     * that a dashboard or an alert finds them before anything goes wrong.
     */
    private void track(String consumer) {
        if (!waiting.containsKey(consumer)) {
            waiting(consumer);
            if (deadLetters.isResolvable()) {
                deadLetters.get().track(consumer);
            }
        }
    }

    private AtomicInteger waiting(String consumer) {
        return waiting.computeIfAbsent(
                consumer, c -> meters.gauge("dropship.inbox.waiting", Tags.of("consumer", c), new AtomicInteger()));
    }

    /** Waits on the caller's Vert.x context, so that the retried attempt gets its reactive session there too. */
    private static Uni<Void> delay(Duration backoff, Context context) {
        if (context == null) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(backoff);
        }
        return Uni.createFrom()
                .emitter(emitter -> context.owner()
                        .setTimer(
                                Math.max(1, backoff.toMillis()),
                                id -> context.runOnContext(ignored -> emitter.complete(null))));
    }
}
