package io.dropship.platform.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.platform.outbox.testapp.LanesConsumer;
import io.dropship.platform.work.OwnContext;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * One Kafka consumer for several per-order topics ({@link PartitionLanes}): every partition's records are applied in
 * their order, partitions side by side (never more than the lanes), each in a Hibernate Reactive session of its own,
 * and a record its handler gives up on goes to its topic's dead-letter topic alone while its partition goes on.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class PartitionLanesIT {

    @Inject
    LanesConsumer consumer;

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    DeadLetters deadLetters;

    @Inject
    io.vertx.core.Vertx vertx;

    private <T> T run(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        return OwnContext.run(vertx, work).await().atMost(Duration.ofSeconds(60));
    }

    private static void step(String topic, String key, String body) {
        TopicProbe.send(
                topic, key, body, Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
    }

    @Test
    void eachPartitionInItsOrderPartitionsSideBySideAndAPoisonRecordAlone() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        // Eight keys on each topic (the test broker makes six partitions a topic), ten steps each; the third key of
        // LanesA carries a step without a number in the middle.
        List<String> keys = IntStream.range(0, 8).mapToObj(i -> run + "-" + i).toList();
        String poisoned = keys.get(2);
        for (int seq = 0; seq < 10; seq++) {
            for (String key : keys) {
                for (String topic : List.of("LanesA", "LanesB")) {
                    step(topic, key, "{\"key\":\"" + key + "\",\"seq\":" + seq + "}");
                    if (seq == 4 && topic.equals("LanesA") && key.equals(poisoned)) {
                        step(topic, key, "{\"key\":\"" + key + "\"}");
                    }
                }
            }
        }

        await().atMost(120, TimeUnit.SECONDS)
                .until(() -> count("select count(*) from lane_step where key like '" + run + "-%'") == 160);

        for (String topic : List.of("LanesA", "LanesB")) {
            for (String key : keys) {
                List<Integer> applied = run(() -> sessions.withSession(s -> s.createNativeQuery(
                                "select seq from lane_step where topic = :t and key = :k order by id", Integer.class)
                        .setParameter("t", topic)
                        .setParameter("k", key)
                        .getResultList()));
                assertEquals(
                        IntStream.range(0, 10).boxed().toList(),
                        new ArrayList<>(applied),
                        topic + " " + key + ": each step once, in the order sent");
            }
        }
        int peak = consumer.peak();
        assertTrue(
                peak > 1 && peak <= LanesConsumer.LANES,
                "steps applied at once at most: " + peak + " (side by side, within " + LanesConsumer.LANES + " lanes)");

        DeadLetters.Entry dead = await().atMost(90, TimeUnit.SECONDS)
                .until(
                        () -> run(() -> deadLetters.list(DeadLetters.Status.DEAD, "LanesA.outbox-test", 200, null))
                                .items()
                                .stream()
                                .filter(e -> poisoned.equals(e.key()))
                                .findFirst()
                                .orElse(null),
                        e -> e != null);
        assertEquals("LanesA", dead.topic());
        assertTrue(dead.reason().contains("needs a key and a number"), dead.reason());
        assertEquals(
                1,
                run(() -> deadLetters.list(DeadLetters.Status.DEAD, null, 500, null)).items().stream()
                        .filter(e -> e.key() != null && e.key().startsWith(run))
                        .count(),
                "only the poison step is a dead letter");
    }

    private long count(String sql) {
        return run(() ->
                sessions.withSession(s -> s.createNativeQuery(sql, Long.class).getSingleResult()));
    }
}
