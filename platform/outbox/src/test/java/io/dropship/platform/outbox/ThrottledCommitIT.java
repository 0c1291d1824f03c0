package io.dropship.platform.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.platform.outbox.testapp.CommitProbeConsumer;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * ThrottledCommit on a real broker, through the test application's commit-probe channel, which polls for 10 s and
 * commits every second.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ThrottledCommitIT {

    private static final String TOPIC = "CommitProbe";
    private static final String GROUP = "commit-probe";
    private static final int PARTITIONS = 6;

    private static Admin admin;

    @BeforeAll
    static void connect() {
        admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.get().kafka().bootstrapServers()));
    }

    @AfterAll
    static void disconnect() {
        admin.close();
    }

    /** A key per partition, as the producer's default partitioner places it. */
    private static Map<Integer, String> keyPerPartition(String prefix) {
        Map<Integer, String> keys = new HashMap<>();
        for (int i = 0; keys.size() < PARTITIONS; i++) {
            String key = prefix + "-" + i;
            int partition = Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            keys.putIfAbsent(partition, key);
        }
        return keys;
    }

    private static int assignedPartitions() throws Exception {
        return admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP).members().stream()
                .map(MemberDescription::assignment)
                .mapToInt(a -> a.topicPartitions().size())
                .sum();
    }

    private static Long committed(int partition) throws Exception {
        OffsetAndMetadata o = admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get()
                .get(new TopicPartition(TOPIC, partition));
        return o == null ? null : o.offset();
    }

    private static long end(int partition) throws Exception {
        TopicPartition tp = new TopicPartition(TOPIC, partition);
        return admin.listOffsets(Map.of(tp, OffsetSpec.latest()))
                .all()
                .get()
                .get(tp)
                .offset();
    }

    @Test
    @Order(1)
    void eachPartitionsFirstRecordIsProcessedWithoutWaitingForThePollInProgress() throws Exception {
        await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(() -> assignedPartitions() == PARTITIONS);
        // The consumer is now in a 10 s poll with nothing to read. SmallRye's own throttled strategy would look up
        // each partition's committed offset on the polling thread and hold the partition's first record until that
        // poll returned.
        Map<Integer, String> keys = keyPerPartition("first-" + UUID.randomUUID());
        List<Map.Entry<String, String>> records = new ArrayList<>();
        keys.values().forEach(k -> records.add(Map.entry(k, "{}")));
        long sent = System.nanoTime();
        TopicProbe.sendAll(TOPIC, records);

        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> keys.values().stream().allMatch(CommitProbeConsumer.PROCESSED_AT::containsKey));
        for (String key : keys.values()) {
            Duration waited = Duration.ofNanos(CommitProbeConsumer.PROCESSED_AT.get(key) - sent);
            assertTrue(
                    waited.compareTo(Duration.ofSeconds(5)) < 0,
                    key + " was processed " + waited.toMillis() + " ms after it was sent: it waited for a poll");
        }
        // And each partition's offset is committed past its record within the commit interval.
        for (int partition : keys.keySet()) {
            long past = end(partition);
            await().atMost(15, TimeUnit.SECONDS).until(() -> Long.valueOf(past).equals(committed(partition)));
        }
    }

    @Test
    @Order(2)
    void theOffsetStopsAtARecordStillInProcessAndPassesItOnceProcessed() throws Exception {
        await().atMost(60, TimeUnit.SECONDS).ignoreExceptions().until(() -> assignedPartitions() == PARTITIONS);
        int partition = 2;
        Map<Integer, String> held = keyPerPartition("held-" + UUID.randomUUID());
        Map<Integer, String> after = keyPerPartition("after-" + UUID.randomUUID());
        String heldKey = held.get(partition);
        String afterKey = after.get(partition);
        CompletableFuture<Void> release = new CompletableFuture<>();
        CommitProbeConsumer.HELD.put(heldKey, release);

        long heldOffset = end(partition);
        TopicProbe.sendAll(TOPIC, List.of(Map.entry(heldKey, "{}"), Map.entry(afterKey, "{}")));
        // Three commit intervals for the consumer to commit too far, if it would.
        Thread.sleep(3_000);
        Long committed = committed(partition);
        assertTrue(
                committed == null || committed <= heldOffset,
                "committed " + committed + " past the record at " + heldOffset + " that is still in process");
        assertFalse(CommitProbeConsumer.PROCESSED_AT.containsKey(afterKey), "the record after it waited its turn");

        release.complete(null);
        await().atMost(30, TimeUnit.SECONDS).until(() -> CommitProbeConsumer.PROCESSED_AT.containsKey(afterKey));
        await().atMost(15, TimeUnit.SECONDS)
                .until(() -> Long.valueOf(heldOffset + 2).equals(committed(partition)));
        assertEquals(heldOffset + 2, end(partition));
    }
}
