package io.dropship.platform.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.platform.outbox.testapp.TallyConsumer;
import io.dropship.platform.work.OwnContext;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TopicProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Dead letters are visible with their reason, and replayable into their consumer once the cause is fixed. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class DeadLetterIT {

    private static final String CONSUMER = "Tally.outbox-test";

    @Inject
    DeadLetters deadLetters;

    @Inject
    MeterRegistry meters;

    @Inject
    io.vertx.core.Vertx vertx;

    /** Hibernate Reactive needs a safe Vert.x context of its own; a REST request has one, a test thread does not. */
    private <T> T run(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        return OwnContext.run(vertx, work).await().atMost(Duration.ofSeconds(60));
    }

    private DeadLetters.Entry awaitDead(String key) {
        return await().atMost(90, TimeUnit.SECONDS)
                .until(
                        () -> run(() -> deadLetters.list(DeadLetters.Status.DEAD, CONSUMER, 200, null)).items().stream()
                                .filter(e -> key.equals(e.key()))
                                .findFirst()
                                .orElse(null),
                        e -> e != null);
    }

    @Test
    void aDeadLetterIsListedWithItsReasonAndItsReplayIsAppliedOnceItsCauseIsFixed() {
        String key = "broken-" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        TallyConsumer.BROKEN.add(key);
        TopicProbe.send(
                "Tally",
                key,
                "{\"key\":\"" + key + "\",\"by\":7}",
                Map.of(EventHeaders.ID, eventId, EventHeaders.TYPE, "Increment"));

        DeadLetters.Entry dead = awaitDead(key);
        assertEquals(eventId, dead.eventId());
        assertEquals("Tally", dead.topic());
        assertTrue(dead.reason().contains("cannot count " + key), dead.reason());
        DeadLetters.Detail detail = run(() -> deadLetters.get(dead.id()));
        assertTrue(detail.value().contains("\"by\":7"));
        // The headers SmallRye's own dead-letter strategy writes, where the record came from and why it failed.
        assertEquals("Tally", detail.headers().get("dead-letter-topic"));
        assertTrue(
                detail.headers().containsKey("dead-letter-offset"),
                detail.headers().toString());
        assertTrue(
                detail.headers().containsKey("dead-letter-exception-class-name"),
                detail.headers().toString());
        assertEquals(eventId, detail.headers().get(EventHeaders.ID));
        await().atMost(30, TimeUnit.SECONDS).until(() -> gauge() >= 1);

        TallyConsumer.BROKEN.remove(key);
        DeadLetters.Entry replayed = run(() -> deadLetters.replay(dead.id(), "ops@test"));
        assertEquals("REPLAYED", replayed.status());
        assertEquals("ops@test", replayed.resolvedBy());
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + key).then().body(is("7")));

        DeadLetters.Refused again =
                assertThrows(DeadLetters.Refused.class, () -> run(() -> deadLetters.replay(dead.id(), "ops@test")));
        assertTrue(again.getMessage().contains("REPLAYED"));
        // The same event sent again (a replay that crossed another) is deduplicated by its id: still 7.
        TopicProbe.send("Tally", key, "{\"key\":\"" + key + "\",\"by\":7}", Map.of(EventHeaders.ID, eventId));
        String marker = UUID.randomUUID().toString();
        TopicProbe.send(
                "Tally",
                key,
                "{\"key\":\"" + marker + "\",\"by\":1}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + marker).then().body(is("1")));
        given().get("/tally/" + key).then().body(is("7"));
    }

    @Test
    void poisonWithoutAnEventIdIsNeverReplayedButCanBeDiscardedWithANote() {
        String key = "no-id-" + UUID.randomUUID();
        TopicProbe.send("Tally", key, "{\"key\":\"" + key + "\",\"by\":1}", Map.of());

        DeadLetters.Entry dead = awaitDead(key);
        DeadLetters.Refused refused =
                assertThrows(DeadLetters.Refused.class, () -> run(() -> deadLetters.replay(dead.id(), "ops@test")));
        assertTrue(refused.getMessage().contains("no event id"), refused.getMessage());

        DeadLetters.Entry discarded =
                run(() -> deadLetters.discard(dead.id(), "ops@test", "a producer bug, fixed upstream"));
        assertEquals("DISCARDED", discarded.status());
        assertEquals("a producer bug, fixed upstream", discarded.note());
        List<DeadLetters.Summary> summary = run(() -> deadLetters.summary());
        assertTrue(summary.stream().anyMatch(s -> s.consumer().equals(CONSUMER) && s.discarded() >= 1));
    }

    /**
     * The channels dead-letter through the service's one producer, not one producer (and two threads) per channel; of
     * the Kafka clients' metrics only each consumer's records-lag-max is registered, read when scraped, with no thread
     * of its own.
     */
    @Test
    void channelsShareOneDeadLetterProducerAndTheLagGaugeNeedsNoThread() {
        String key = "shared-" + UUID.randomUUID();
        TopicProbe.send("Tally", key, "{\"key\":\"" + key + "\",\"by\":1}", Map.of());
        awaitDead(key);

        List<String> threads = Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .toList();
        assertTrue(
                threads.stream().noneMatch(t -> t.contains("kafka-dead-letter-topic-producer")),
                "a dead-letter producer per channel: " + threads);
        assertTrue(
                threads.stream().noneMatch(t -> t.startsWith("micrometer-kafka-metrics")),
                "a metrics thread per Kafka client: " + threads);
        assertEquals(
                java.util.Set.of(KafkaConsumerLag.METER),
                meters.getMeters().stream()
                        .map(m -> m.getId().getName())
                        .filter(n -> n.startsWith("kafka."))
                        .collect(java.util.stream.Collectors.toSet()));
        // One gauge per consumer (the tally and the dead-letter recorder), a lag once the consumer has fetched.
        var lags = meters.find(KafkaConsumerLag.METER).gauges();
        assertTrue(lags.size() >= 2, "lag gauges: " + lags.size());
        await().atMost(30, TimeUnit.SECONDS).until(() -> lags.stream().allMatch(g -> g.value() >= 0));
        given().get("/q/metrics")
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("kafka_consumer_fetch_manager_records_lag_max{client_id="));
    }

    private double gauge() {
        var g = meters.find("dropship.dead_letters").tags("consumer", CONSUMER).gauge();
        return g == null ? 0 : g.value();
    }
}
