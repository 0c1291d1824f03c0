package io.dropship.platform.outbox;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads this service's dead-letter topics ({@code <Topic>.<service>.DLT}, by pattern, so a consumer added later is
 * covered) into {@link DeadLetters}: what ops list, read and replay. Recording waits out a database outage like any
 * consumer (see {@link Inbox#retrying}).
 */
@ApplicationScoped
public class DeadLetterRecorder {

    private final DeadLetters deadLetters;
    private final Inbox inbox;

    public DeadLetterRecorder(DeadLetters deadLetters, Inbox inbox) {
        this.deadLetters = deadLetters;
        this.inbox = inbox;
    }

    @Incoming("dead-letters")
    public Uni<Void> on(ConsumerRecord<String, String> dead) {
        return inbox.retrying("dead-letters", dead.topic() + "@" + dead.offset(), () -> deadLetters.record(dead));
    }
}
