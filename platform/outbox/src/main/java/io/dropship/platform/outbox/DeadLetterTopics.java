package io.dropship.platform.outbox;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiConsumer;
import org.eclipse.microprofile.reactive.messaging.Metadata;

/**
 * The failure strategy of every channel ({@code failure-strategy=dead-letter-topic}): a record its consumer gives up on
 * goes to the channel's {@code dead-letter-queue.topic} with the headers SmallRye's {@code dead-letter-queue} strategy
 * writes, and is acknowledged once Kafka has it. Unlike that strategy, which opens a Kafka producer (two threads, its
 * own metrics and buffers) for every channel that might one day dead-letter, all channels of a service share the one
 * producer of {@link DeadLetters}. If the dead-letter topic cannot be written, the record is not acknowledged: its offset
 * is not committed and it is delivered again after a restart.
 *
 * <p>A channel that reads several topics ({@link TopicHandlers}) names its dead-letter topic after the record's own,
 * {@code {topic}.<service>.DLT}: each topic's dead letters go where they went when it had a channel of its own.
 */
@ApplicationScoped
@Identifier(DeadLetterTopics.STRATEGY)
@Unremovable
public class DeadLetterTopics implements KafkaFailureHandler.Factory {

    public static final String STRATEGY = "dead-letter-topic";

    private final DeadLetters deadLetters;

    public DeadLetterTopics(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Override
    public KafkaFailureHandler create(
            KafkaConnectorIncomingConfiguration config,
            Vertx vertx,
            KafkaConsumer<?, ?> consumer,
            BiConsumer<Throwable, Boolean> reportFailure) {
        String channel = config.getChannel();
        // A concurrent copy's configuration (channel$2) reads through to its channel's: they share the topic.
        String topic = config.getDeadLetterQueueTopic().orElseGet(() -> DeadLetters.defaultTopic(channel));
        return new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
                return deadLetters
                        .deadLetter(DeadLetters.topicFor(topic, record.getTopic()), channel, record, reason)
                        .chain(() -> Uni.createFrom().completionStage(record::ack))
                        .emitOn(record::runOnMessageContext);
            }
        };
    }
}
