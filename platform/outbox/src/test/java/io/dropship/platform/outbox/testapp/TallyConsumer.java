package io.dropship.platform.outbox.testapp;

import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Counts increments; the count shows whether an event was applied once, twice or not at all. */
@ApplicationScoped
public class TallyConsumer {

    public record Increment(String key, int by) {}

    /** Keys whose increments fail as a bug would, until a test lets them through again (a fix, then a replay). */
    public static final java.util.Set<String> BROKEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final Inbox inbox;
    private final io.dropship.platform.outbox.Outbox outbox;

    public TallyConsumer(Inbox inbox, io.dropship.platform.outbox.Outbox outbox) {
        this.inbox = inbox;
        this.outbox = outbox;
    }

    @Incoming("tally")
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("tally", record, Increment.class, (session, event, increment) -> {
            if (increment.key() == null) {
                throw new PoisonMessageException("an increment needs a key");
            }
            if (BROKEN.contains(increment.key())) {
                throw new IllegalStateException("the tally cannot count " + increment.key() + " yet");
            }
            if (increment.by() < 0) {
                // A failure the inbox cannot classify: a few retries, then the dead-letter topic.
                throw new IllegalStateException("the tally only counts up");
            }
            Uni<Integer> counted = session.createNativeQuery("insert into tally (key, count) values (:k, :by)"
                            + " on conflict (key) do update set count = tally.count + :by")
                    .setParameter("k", increment.key())
                    .setParameter("by", increment.by())
                    .executeUpdate();
            // An increment keyed echo-* is answered with an event of its own, as a saga's step answers the last one.
            return increment.key().startsWith("echo-")
                    ? counted.chain(() -> outbox.publish(
                                    session, "Echoes", increment.key(), java.util.Map.of("key", increment.key())))
                            .replaceWith(1)
                    : counted;
        });
    }
}
