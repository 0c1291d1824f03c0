package io.dropship.platform.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.platform.work.OwnContext;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A channel that reads several topics with one Kafka consumer (a service's occasional channel) keeps each topic's
 * handler apart: its own inbox name, so an event applied by one is still applied by the other, and its own
 * dead-letter topic, so ops see its dead letters under the consumer they always had.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class SharedChannelIT {

    @Inject
    DeadLetters deadLetters;

    @Inject
    io.vertx.core.Vertx vertx;

    private <T> T run(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        return OwnContext.run(vertx, work).await().atMost(Duration.ofSeconds(60));
    }

    @Test
    void eachTopicIsAppliedOnceUnderItsOwnConsumerName() {
        String key = "shared-" + UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        // One event id on both topics: two consumers, each applies it once; a second delivery changes nothing.
        TopicProbe.send("Ups", key, "{\"key\":\"" + key + "\",\"by\":5}", Map.of(EventHeaders.ID, eventId));
        TopicProbe.send("Downs", key, "{\"key\":\"" + key + "\",\"by\":2}", Map.of(EventHeaders.ID, eventId));
        TopicProbe.send("Ups", key, "{\"key\":\"" + key + "\",\"by\":5}", Map.of(EventHeaders.ID, eventId));

        Outboxes.awaitConsumed("outbox-test.ups", eventId);
        Outboxes.awaitConsumed("outbox-test.downs", eventId);
        String marker = "marker-" + UUID.randomUUID();
        TopicProbe.send(
                "Ups",
                key,
                "{\"key\":\"" + marker + "\",\"by\":1}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        await().atMost(60, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + marker).then().body(is("1")));
        given().get("/tally/" + key).then().body(is("3"));
    }

    @Test
    void eachTopicsDeadLettersGoToItsOwnDeadLetterTopic() {
        String up = "poison-up-" + UUID.randomUUID();
        String down = "poison-down-" + UUID.randomUUID();
        // No key in the increment: poison, dead-lettered at once.
        TopicProbe.send(
                "Ups",
                up,
                "{\"by\":1}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        TopicProbe.send(
                "Downs",
                down,
                "{\"by\":1}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));

        DeadLetters.Entry upDead = awaitDead("Ups.outbox-test", up);
        DeadLetters.Entry downDead = awaitDead("Downs.outbox-test", down);
        assertEquals("Ups", upDead.topic());
        assertEquals("Downs", downDead.topic());
        assertTrue(upDead.reason().contains("needs a key"), upDead.reason());
        assertEquals(
                "Downs", run(() -> deadLetters.get(downDead.id())).headers().get("dead-letter-topic"));
    }

    private DeadLetters.Entry awaitDead(String consumer, String key) {
        return await().atMost(90, TimeUnit.SECONDS)
                .until(
                        () -> run(() -> deadLetters.list(DeadLetters.Status.DEAD, consumer, 200, null)).items().stream()
                                .filter(e -> key.equals(e.key()))
                                .findFirst()
                                .orElse(null),
                        e -> e != null);
    }
}
