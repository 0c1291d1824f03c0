package io.dropship.platform.outbox;

import io.dropship.platform.work.OwnContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * The batch handlers that share one Kafka consumer: the projections a service keeps beside the orders (order-service's
 * timeline, analytics, payments and held orders), each of which reads a poll's worth at a time in one transaction. Each
 * had a consumer of its own that fetched the same events: one group reads them once now, and every poll gives each
 * handler the records of its topics, all handlers side by side (each on a Vert.x context of its own, as
 * {@link PartitionLanes}' lanes); the poll is committed once every handler is done.
 *
 * <p>A handler keeps what it had as a channel: its topics ({@code dropship.handlers.<name>.topics}), its dead-letter
 * topic ({@code dropship.handlers.<name>.dead-letter-topic}, which {@link DeadLetters#deadLetter(String,
 * ConsumerRecord, String)} reads for the name) and its inbox name ({@code <service>.<name>}, which
 * {@link Inbox#consumerOf} gives a name that is not a channel). A handler that fails with its batch (not a record it
 * sends to its dead-letter topic itself, not a database outage it waits out) has its records of the poll
 * dead-lettered, as the channel's dead-letter strategy did for a failed batch; the other handlers' work stands.
 *
 * <p>The handlers' topics must make up the channel's {@code topics} exactly: a topic no handler reads, or a handler
 * with no topics, stops the service at start. A channel taking over the handlers' groups starts where they stopped
 * ({@link CarriedOffsets}, {@code dropship.carried-offsets.<group>}).
 */
public final class BatchHandlers {

    private static final Logger LOG = Logger.getLogger(BatchHandlers.class);

    private record Handler(
            String name, Set<String> topics, Function<ConsumerRecords<String, String>, Uni<Void>> apply) {}

    private final String channel;
    private final List<Handler> handlers;
    private final Vertx vertx;
    private final DeadLetters deadLetters;

    private BatchHandlers(String channel, List<Handler> handlers, Vertx vertx, DeadLetters deadLetters) {
        this.channel = channel;
        this.handlers = handlers;
        this.vertx = vertx;
        this.deadLetters = deadLetters;
    }

    /** The channel's handlers by name, their topics read from the configuration and checked against the channel's. */
    public static BatchHandlers of(
            String channel,
            Map<String, Function<ConsumerRecords<String, String>, Uni<Void>>> handlers,
            Vertx vertx,
            DeadLetters deadLetters) {
        Set<String> configured = TopicHandlers.topics("mp.messaging.incoming." + channel + ".topics");
        Set<String> covered = new TreeSet<>();
        List<Handler> list = new ArrayList<>();
        new TreeMap<>(handlers).forEach((name, apply) -> {
            String key = "dropship.handlers." + name + ".topics";
            Set<String> topics = TopicHandlers.topics(key);
            if (topics.isEmpty()) {
                throw new IllegalStateException(
                        "handler " + name + " of channel " + channel + " reads no topics: set " + key);
            }
            covered.addAll(topics);
            list.add(new Handler(name, Set.copyOf(topics), apply));
        });
        if (!configured.equals(covered)) {
            throw new IllegalStateException("mp.messaging.incoming." + channel + ".topics is " + configured
                    + " but its handlers read " + covered + ": each topic it reads needs a handler");
        }
        return new BatchHandlers(channel, List.copyOf(list), vertx, deadLetters);
    }

    /** Hands each handler the poll's records of its topics, side by side; done when every handler is. */
    public Uni<Void> apply(ConsumerRecords<String, String> records) {
        Map<String, List<TopicPartition>> partitionsByTopic = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            partitionsByTopic
                    .computeIfAbsent(partition.topic(), t -> new ArrayList<>())
                    .add(partition);
        }
        List<Uni<Void>> work = new ArrayList<>(handlers.size());
        for (Handler handler : handlers) {
            Map<TopicPartition, List<ConsumerRecord<String, String>>> mine = new LinkedHashMap<>();
            for (String topic : handler.topics()) {
                for (TopicPartition partition : partitionsByTopic.getOrDefault(topic, List.of())) {
                    mine.put(partition, records.records(partition));
                }
            }
            if (mine.isEmpty()) {
                continue;
            }
            ConsumerRecords<String, String> batch = new ConsumerRecords<>(mine, Map.of());
            // Each on a Vert.x context of its own: a Hibernate Reactive session belongs to its context, and handlers
            // side by side on one would share (and close) each other's.
            work.add(Uni.createFrom()
                    .deferred(() -> OwnContext.run(
                            vertx,
                            () -> Uni.createFrom()
                                    .deferred(() -> handler.apply().apply(batch))
                                    .onFailure()
                                    .recoverWithUni(e -> deadLetterAll(handler, batch, e)))));
        }
        if (work.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Context caller = Vertx.currentContext();
        Uni<Void> all = Uni.join().all(work).andCollectFailures().replaceWithVoid();
        // What follows (the poll's acknowledgement) goes on where SmallRye called from, not on a handler's context.
        return caller == null ? all : all.emitOn(r -> caller.runOnContext(ignored -> r.run()));
    }

    private Uni<Void> deadLetterAll(Handler handler, ConsumerRecords<String, String> batch, Throwable failure) {
        LOG.errorf(
                failure,
                "%s (channel %s) failed with a batch of %d records; they go to its dead-letter topic",
                handler.name(),
                channel,
                batch.count());
        List<ConsumerRecord<String, String>> each = new ArrayList<>(batch.count());
        batch.forEach(each::add);
        return Multi.createFrom()
                .iterable(each)
                .onItem()
                .transformToUniAndConcatenate(
                        record -> deadLetters.deadLetter(handler.name(), record, failure.toString()))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
