package io.dropship.platform.outbox;

import io.quarkus.arc.Unremovable;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * The commit strategy of every channel ({@code commit-strategy=dropship-throttled}): SmallRye's {@code throttled}
 * strategy without its one slow step. Like it, a consumer commits each partition's offset past the records processed
 * in sequence, at most every {@code auto.commit.interval.ms} (5 s), never past a record still being processed, and
 * commits what it has processed when a partition is taken from it or the service stops.
 *
 * <p>SmallRye's asks the broker for a partition's committed offset when the first record of the partition arrives after
 * a start or a rebalance, on the consumer's polling thread: that record, and every record behind it, waits until the
 * poll in progress returns, up to {@code poll-timeout}. A fresh fleet meets it on every partition, so each event hop
 * waited a poll (a whole second each with a 1 s poll: {@code ./fleet demo} took 51 s instead of 24 s). Here a
 * partition's count starts at its first record instead: a consumer reads a newly assigned partition from its committed
 * offset, so that record's offset is the committed one, and nothing waits for the polling thread but the commits.
 */
public final class ThrottledCommit implements KafkaCommitHandler {

    public static final String STRATEGY = "dropship-throttled";

    private static final Logger LOG = Logger.getLogger(ThrottledCommit.class);

    @ApplicationScoped
    @Identifier(STRATEGY)
    @Unremovable
    public static class Factory implements KafkaCommitHandler.Factory {

        @Override
        public KafkaCommitHandler create(
                KafkaConnectorIncomingConfiguration config,
                Vertx vertx,
                KafkaConsumer<?, ?> consumer,
                BiConsumer<Throwable, Boolean> reportFailure) {
            long interval = config.config()
                    .getOptionalValue(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, Long.class)
                    .orElse(5000L);
            return new ThrottledCommit(config.getChannel(), vertx, consumer, Duration.ofMillis(interval));
        }
    }

    /** One assigned partition: the offsets received and not yet acknowledged, and what was committed. */
    private static final class Partition {
        private final TreeSet<Long> inFlight = new TreeSet<>();
        private long next;
        private long committed;

        private Partition(long firstOffset) {
            next = firstOffset;
            committed = firstOffset;
        }

        /** The offset to commit: the first record still being processed, or the one after the last received. */
        private long committable() {
            return inFlight.isEmpty() ? next : inFlight.first();
        }
    }

    private final String channel;
    private final Vertx vertx;
    private final KafkaConsumer<?, ?> consumer;
    private final Duration interval;
    private final Set<TopicPartition> assigned = new HashSet<>();
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private boolean flushScheduled;
    private boolean terminated;

    ThrottledCommit(String channel, Vertx vertx, KafkaConsumer<?, ?> consumer, Duration interval) {
        this.channel = channel;
        this.vertx = vertx;
        this.consumer = consumer;
        this.interval = interval;
    }

    @Override
    public <K, V> Uni<IncomingKafkaRecord<K, V>> received(IncomingKafkaRecord<K, V> record) {
        TopicPartition tp = new TopicPartition(record.getTopic(), record.getPartition());
        long offset = record.getOffset();
        synchronized (this) {
            // A record of a partition taken away while it was on its way is not counted: its new owner reads it again.
            if (assigned.contains(tp)) {
                Partition p = partitions.computeIfAbsent(tp, k -> new Partition(offset));
                if (offset >= p.committed) {
                    p.inFlight.add(offset);
                    p.next = Math.max(p.next, offset + 1);
                }
            }
        }
        return Uni.createFrom().item(record);
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
        TopicPartition tp = new TopicPartition(record.getTopic(), record.getPartition());
        synchronized (this) {
            Partition p = partitions.get(tp);
            if (p != null && p.inFlight.remove(record.getOffset())) {
                scheduleFlush();
            }
        }
        return Uni.createFrom().voidItem().runSubscriptionOn(record::runOnMessageContext);
    }

    /** One commit at most every interval, and none while nothing is acknowledged: an idle consumer does not wake. */
    private void scheduleFlush() {
        if (!flushScheduled && !terminated) {
            flushScheduled = true;
            vertx.setTimer(interval.toMillis(), id -> flush());
        }
    }

    /** Commits, on the polling thread, what was processed since the last commit. */
    private void flush() {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        synchronized (this) {
            flushScheduled = false;
            if (terminated) {
                return;
            }
            offsets = advance(partitions.keySet());
        }
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets).subscribe().with(ok -> {}, failure -> {
                // Around a rebalance: what was processed is committed as the partitions are revoked.
                if (!(failure instanceof RebalanceInProgressException)) {
                    LOG.warnf(failure, "%s could not commit %s; it is committed later or read again", channel, offsets);
                }
                synchronized (this) {
                    offsets.forEach((tp, o) -> {
                        Partition p = partitions.get(tp);
                        if (p != null && p.committed == o.offset()) {
                            p.committed = -1;
                        }
                    });
                    scheduleFlush();
                }
            });
        }
    }

    /** The partitions' offsets that moved since their last commit, taken as committed. */
    private Map<TopicPartition, OffsetAndMetadata> advance(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : tps) {
            Partition p = partitions.get(tp);
            if (p != null && p.committable() > p.committed) {
                p.committed = p.committable();
                offsets.put(tp, new OffsetAndMetadata(p.committed));
            }
        }
        return offsets;
    }

    /** Called on the polling thread, before any record of the partitions is returned by a poll. */
    @Override
    public synchronized void partitionsAssigned(Collection<TopicPartition> tps) {
        assigned.addAll(tps);
    }

    /** Called on the polling thread while the partitions are taken away: what was processed is committed now. */
    @Override
    public void partitionsRevoked(Collection<TopicPartition> tps) {
        Map<TopicPartition, OffsetAndMetadata> offsets;
        synchronized (this) {
            offsets = advance(tps);
            assigned.removeAll(tps);
            partitions.keySet().removeAll(tps);
        }
        if (!offsets.isEmpty()) {
            commitSync(consumer.unwrap(), offsets);
        }
    }

    @Override
    public void terminate(boolean graceful) {
        if (graceful) {
            awaitInFlight();
        }
        Map<TopicPartition, OffsetAndMetadata> offsets;
        synchronized (this) {
            terminated = true;
            offsets = advance(partitions.keySet());
        }
        Consumer<?, ?> client = consumer.unwrap();
        if (!offsets.isEmpty() && client != null) {
            // The commit runs on the polling thread: the poll in progress is woken rather than waited for.
            client.wakeup();
            consumer.runOnPollingThread(c -> {
                        commitSync(c, offsets);
                    })
                    .await()
                    .atMost(interval.plusSeconds(5));
        }
    }

    private void awaitInFlight() {
        long deadline = System.nanoTime() + interval.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (partitions.values().stream().allMatch(p -> p.inFlight.isEmpty())) {
                    return;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void commitSync(Consumer<?, ?> c, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try {
            try {
                c.commitSync(offsets);
            } catch (WakeupException woken) {
                // A wake-up meant for the poll (terminate) that found the polling thread here instead.
                c.commitSync(offsets);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s could not commit %s; those records are read again", channel, offsets);
        }
    }
}
