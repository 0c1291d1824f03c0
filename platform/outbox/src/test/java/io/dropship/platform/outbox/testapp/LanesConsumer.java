package io.dropship.platform.outbox.testapp;

import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PartitionLanes;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One consumer for two topics, their partitions worked side by side on three lanes, as a service's per-order topics
 * are: each step is written in the inbox's transaction, after a short wait in the database, so that lanes overlap.
 */
@ApplicationScoped
public class LanesConsumer {

    public static final int LANES = 3;

    public record Step(String key, Integer seq) {}

    private final Inbox inbox;
    private final PartitionLanes lanes;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    public LanesConsumer(Inbox inbox, Vertx vertx, DeadLetters deadLetters) {
        this.inbox = inbox;
        this.lanes = PartitionLanes.of(
                "lanes",
                Map.of("LanesA", r -> step("lanes-a", r), "LanesB", r -> step("lanes-b", r)),
                LANES,
                vertx,
                deadLetters);
    }

    @Incoming("lanes")
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return lanes.apply(records);
    }

    /** The most records applied at once so far. */
    public int peak() {
        return peak.get();
    }

    private Uni<Void> step(String handler, ConsumerRecord<String, String> record) {
        return inbox.apply(handler, record, Step.class, (session, event, step) -> {
            if (step.key() == null || step.seq() == null) {
                throw new PoisonMessageException("a step needs a key and a number");
            }
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            return session.createNativeQuery("select pg_sleep(0.02)")
                    .getSingleResult()
                    .chain(() -> session.createNativeQuery(
                                    "insert into lane_step (topic, key, seq) values (:t, :k, :s)")
                            .setParameter("t", record.topic())
                            .setParameter("k", step.key())
                            .setParameter("s", step.seq())
                            .executeUpdate())
                    .eventually(running::decrementAndGet)
                    .replaceWithVoid();
        });
    }
}
