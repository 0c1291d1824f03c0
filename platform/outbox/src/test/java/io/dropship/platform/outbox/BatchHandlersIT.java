package io.dropship.platform.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.platform.work.OwnContext;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.hibernate.reactive.mutiny.Mutiny;
import org.junit.jupiter.api.Test;

/**
 * Batch handlers sharing one consumer ({@link BatchHandlers}): each handler gets every record of its topics and no
 * other, and a handler that fails with a batch has that batch's records dead-lettered to its own dead-letter topic
 * while the other handler's work on the same polls stands.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class BatchHandlersIT {

    @Inject
    Mutiny.SessionFactory sessions;

    @Inject
    DeadLetters deadLetters;

    @Inject
    io.vertx.core.Vertx vertx;

    private <T> T run(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        return OwnContext.run(vertx, work).await().atMost(Duration.ofSeconds(60));
    }

    @Test
    void eachHandlerGetsItsTopicsAndAFailedBatchGoesToItsOwnDeadLetterTopic() {
        String key = "fan-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 40; i++) {
            TopicProbe.send(
                    "FanA",
                    key,
                    "a" + i,
                    Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
            TopicProbe.send(
                    "FanB",
                    key,
                    i == 17 ? "fail" + i : "b" + i,
                    Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        }

        Set<Integer> all = IntStream.range(0, 40).boxed().collect(Collectors.toSet());
        await().atMost(90, TimeUnit.SECONDS)
                .until(() -> seqs(key, "fan-all:FanA").equals(all)
                        && seqs(key, "fan-all:FanB").equals(all));
        assertTrue(seqs(key, "fan-b:FanA").isEmpty(), "fan-b reads FanB only");

        // fan-b failed the batch that held "fail17": those records are dead letters on its topic, the others applied.
        List<DeadLetters.Entry> dead = await().atMost(90, TimeUnit.SECONDS)
                .until(
                        () ->
                                run(() -> deadLetters.list(DeadLetters.Status.DEAD, "FanB.outbox-test", 200, null))
                                        .items()
                                        .stream()
                                        .filter(e -> key.equals(e.key()))
                                        .toList(),
                        d -> d.stream().anyMatch(e -> "FanB".equals(e.topic())));
        Set<Integer> applied = seqs(key, "fan-b:FanB");
        assertTrue(!applied.contains(17), "the failing record was not applied: " + applied);
        Set<Integer> accounted = new HashSet<>(applied);
        assertEquals(
                40 - applied.size(),
                await().atMost(60, TimeUnit.SECONDS)
                        .until(
                                () -> run(() -> deadLetters.list(
                                                DeadLetters.Status.DEAD, "FanB.outbox-test", 200, null))
                                        .items()
                                        .stream()
                                        .filter(e -> key.equals(e.key()))
                                        .count(),
                                n -> n == 40 - applied.size())
                        .intValue(),
                "every FanB record fan-b did not apply is a dead letter of fan-b: applied " + accounted);
        assertTrue(
                run(() -> deadLetters.list(DeadLetters.Status.DEAD, "FanAll.outbox-test", 200, null)).items().stream()
                        .noneMatch(e -> key.equals(e.key())),
                "fan-all lost nothing to fan-b's failure");
        assertTrue(dead.stream().allMatch(e -> e.reason().contains("fan-b cannot take")), "the reason is kept");
    }

    private Set<Integer> seqs(String key, String topic) {
        return new HashSet<>(run(() -> sessions.withSession(
                s -> s.createNativeQuery("select seq from lane_step where key = :k and topic = :t", Integer.class)
                        .setParameter("k", key)
                        .setParameter("t", topic)
                        .getResultList())));
    }
}
