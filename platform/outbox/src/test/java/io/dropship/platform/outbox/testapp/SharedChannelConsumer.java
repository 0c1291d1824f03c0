package io.dropship.platform.outbox.testapp;

import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.outbox.TopicHandlers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One channel over two topics, as a service's occasional channel reads its low-volume topics: each topic has its own
 * handler, inbox name and dead-letter topic; only the Kafka consumer is shared.
 */
@ApplicationScoped
public class SharedChannelConsumer {

    private final Inbox inbox;
    private final TopicHandlers handlers;

    public SharedChannelConsumer(Inbox inbox) {
        this.inbox = inbox;
        this.handlers =
                TopicHandlers.of("shared", Map.of("Ups", r -> count("ups", r, 1), "Downs", r -> count("downs", r, -1)));
    }

    @Incoming("shared")
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return handlers.apply(record);
    }

    private Uni<Void> count(String handler, ConsumerRecord<String, String> record, int sign) {
        return inbox.apply(handler, record, TallyConsumer.Increment.class, (session, event, increment) -> {
            if (increment.key() == null) {
                throw new PoisonMessageException("an increment needs a key");
            }
            return session.createNativeQuery("insert into tally (key, count) values (:k, :by)"
                            + " on conflict (key) do update set count = tally.count + :by")
                    .setParameter("k", increment.key())
                    .setParameter("by", sign * increment.by())
                    .executeUpdate();
        });
    }
}
