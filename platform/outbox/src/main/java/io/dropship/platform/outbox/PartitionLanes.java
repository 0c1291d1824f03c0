package io.dropship.platform.outbox;

import io.dropship.platform.work.OwnContext;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;

/**
 * One Kafka consumer for a service's per-order topics, their partitions worked side by side. A consumer per topic cost
 * each a polling thread and a heartbeat thread in the service and a fetch and a heartbeat at the broker, idle or not,
 * and under load a poll per topic for a few records each.
 *
 * <p>The channel reads a poll at a time ({@code batch=true}, its {@code topics} the handlers' topics, checked as
 * {@link TopicHandlers} checks them). Each partition's records go to their topic's handler one after another, in their
 * order; up to {@code lanes} partitions are worked at once, each on a Vert.x context of its own (a Hibernate Reactive
 * session belongs to its context, so two partitions never share one, and each record's log lines name its own event).
 * A handler is what the topic had as a channel of its own ({@link Inbox#apply} under the topic's inbox name, which
 * retries what is transient): a record it gives up on goes to the channel's dead-letter topic for its topic
 * ({@code {topic}.<service>.DLT}) alone, and its partition goes on. The poll is acknowledged once every partition's
 * records are done, so a crash before that has the poll read again and the inbox skips what was applied.
 *
 * <p>Records of different partitions were applied side by side before as well (each topic had its consumer, order-service's
 * OrderPlaced three), so each handler already accepts its events in any order relative to other partitions'.
 */
public final class PartitionLanes {

    private final String channel;
    private final TopicHandlers handlers;
    private final int lanes;
    private final Vertx vertx;
    private final DeadLetters deadLetters;

    private PartitionLanes(String channel, TopicHandlers handlers, int lanes, Vertx vertx, DeadLetters deadLetters) {
        this.channel = channel;
        this.handlers = handlers;
        this.lanes = lanes;
        this.vertx = vertx;
        this.deadLetters = deadLetters;
    }

    /**
     * The channel's handlers by topic (checked against its configured {@code topics} as {@link TopicHandlers#of}
     * checks them), at most {@code lanes} partitions at once.
     */
    public static PartitionLanes of(
            String channel,
            Map<String, Function<ConsumerRecord<String, String>, Uni<Void>>> handlers,
            int lanes,
            Vertx vertx,
            DeadLetters deadLetters) {
        if (lanes < 1) {
            throw new IllegalArgumentException("a channel needs one lane at least, not " + lanes);
        }
        return new PartitionLanes(channel, TopicHandlers.of(channel, handlers), lanes, vertx, deadLetters);
    }

    /** Applies a poll: each partition's records in order, up to {@code lanes} partitions side by side. */
    public Uni<Void> apply(ConsumerRecords<String, String> records) {
        List<Uni<Void>> partitions = new ArrayList<>(records.partitions().size());
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, String>> inOrder = records.records(partition);
            partitions.add(Uni.createFrom().deferred(() -> OwnContext.run(vertx, () -> oneByOne(inOrder))));
        }
        if (partitions.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Context caller = Vertx.currentContext();
        Uni<Void> all = Multi.createFrom()
                .iterable(partitions)
                .onItem()
                .transformToUni(partition -> partition)
                .merge(lanes)
                .collect()
                .last()
                .replaceWithVoid();
        // What follows (the poll's acknowledgement) goes on where SmallRye called from, not on the last lane's context.
        return caller == null ? all : all.emitOn(r -> caller.runOnContext(ignored -> r.run()));
    }

    private Uni<Void> oneByOne(List<ConsumerRecord<String, String>> records) {
        return Multi.createFrom()
                .iterable(records)
                .onItem()
                .transformToUniAndConcatenate(record -> Uni.createFrom()
                        .deferred(() -> handlers.apply(record))
                        .onFailure()
                        .recoverWithUni(e -> deadLetters.deadLetter(channel, record, e.toString())))
                .collect()
                .last()
                .replaceWithVoid();
    }
}
