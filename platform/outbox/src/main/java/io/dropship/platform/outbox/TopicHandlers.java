package io.dropship.platform.outbox;

import io.smallrye.mutiny.Uni;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The handlers of a channel that reads several topics with one Kafka consumer: a service's {@code occasional} channel,
 * whose topics see a few events an hour each (failures, cancellations, disputes, privacy requests, directory changes).
 * A consumer per topic cost each a polling thread and a heartbeat thread in the service, and a fetch and a heartbeat at
 * the broker, whether its topic had an event or not.
 *
 * <p>Each topic keeps what it had as a channel of its own: its handler names itself to the {@link Inbox} (the handler
 * {@code payment-failed} of order-service is the inbox's consumer {@code order-service.payment-failed}), and the
 * channel's {@code dead-letter-queue.topic={topic}.<service>.DLT} sends its dead letters to
 * {@code <Topic>.<service>.DLT}. The records of all the topics are applied one at a time, in the order the consumer
 * reads them; each handler already accepts its events in any order relative to the other topics'.
 *
 * <p>The handlers must cover the channel's {@code topics} exactly: a topic without a handler, or a handler for a topic
 * the channel does not read, stops the service at start.
 */
public final class TopicHandlers {

    private final String channel;
    private final Map<String, Function<ConsumerRecord<String, String>, Uni<Void>>> handlers;

    private TopicHandlers(String channel, Map<String, Function<ConsumerRecord<String, String>, Uni<Void>>> handlers) {
        this.channel = channel;
        this.handlers = Map.copyOf(handlers);
    }

    /** The handlers of the channel's topics, checked against its configured {@code topics}. */
    public static TopicHandlers of(
            String channel, Map<String, Function<ConsumerRecord<String, String>, Uni<Void>>> handlers) {
        String key = "mp.messaging.incoming." + channel + ".topics";
        Set<String> configured = topics(key);
        if (!configured.equals(new TreeSet<>(handlers.keySet()))) {
            throw new IllegalStateException(key + " is " + configured + " but the channel's handlers are for "
                    + new TreeSet<>(handlers.keySet()) + ": each topic it reads needs exactly one handler");
        }
        return new TopicHandlers(channel, handlers);
    }

    /** The topics a comma-separated configuration value names (none when it is not set), sorted. */
    static Set<String> topics(String key) {
        return ConfigProvider.getConfig().getOptionalValue(key, String.class).stream()
                .flatMap(v -> Arrays.stream(v.split(",")))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Hands the record to its topic's handler. */
    public Uni<Void> apply(ConsumerRecord<String, String> record) {
        Function<ConsumerRecord<String, String>, Uni<Void>> handler = handlers.get(record.topic());
        if (handler == null) {
            // Only a subscription changed at run time could bring one: poison, so that it is kept, not lost.
            return Uni.createFrom()
                    .failure(new PoisonMessageException(
                            "channel " + channel + " has no handler for topic " + record.topic()));
        }
        return handler.apply(record);
    }
}
