package io.dropship.platform.outbox;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.infra.LocalPostgres;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * A valid event whose database is down waits for it, however long that takes; only what can never succeed goes to
 * the dead-letter topic.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class TransientFailureIT {

    @Inject
    MeterRegistry meters;

    @Inject
    OutboxRelay relay;

    private double retried() {
        var counter = meters.find("dropship.inbox.events")
                .tags("consumer", "tally-counter", "outcome", "retried")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private double waiting() {
        var gauge = meters.find("dropship.inbox.waiting")
                .tags("consumer", "tally-counter")
                .gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void anEventWhoseDatabaseIsDownWaitsForItAndIsAppliedOnceItIsBack() throws Exception {
        LocalPostgres postgres = SharedInfrastructure.get().postgres();
        String key = "outage-" + UUID.randomUUID();
        double retriedBefore = retried();

        postgres.stopServer();
        try {
            given().get("/q/health/ready").then().statusCode(503);
            TopicProbe.send(
                    "Tally",
                    key,
                    "{\"key\":\"" + key + "\",\"by\":4}",
                    Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
            // Far more tries than the three an unknown failure gets: the event is kept, not dead-lettered.
            await().atMost(60, TimeUnit.SECONDS).until(() -> retried() >= retriedBefore + 8);
            assertEquals(1.0, waiting(), "the gauge shows one event waiting for its database");
            given().get("/q/health/ready").then().statusCode(503);
        } finally {
            postgres.startAgain();
        }

        await().atMost(60, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + key).then().body(is("4")));
        await().atMost(60, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        assertEquals(0.0, waiting());
        await().atMost(60, TimeUnit.SECONDS).until(() -> relay.state() == OutboxRelay.State.RUNNING);

        // A poison marker on the same key and partition: once it is on the dead-letter topic, anything dead-lettered
        // for this key before it would be there too.
        TopicProbe.send(
                "Tally",
                key,
                "{not json",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        List<ConsumerRecord<String, String>> dead = TopicProbe.collectUntil(
                "Tally.outbox-test.DLT",
                r -> key.equals(r.key()),
                found -> found.stream().anyMatch(r -> r.value().startsWith("{not json")),
                Duration.ofSeconds(60));
        assertEquals(1, dead.size(), "only the poison marker is dead-lettered, never the valid event");
    }

    @Test
    void aFailureOfUnknownKindIsRetriedAFewTimesThenDeadLettered() {
        String key = "unknown-" + UUID.randomUUID();
        TopicProbe.send(
                "Tally",
                key,
                "{\"key\":\"" + key + "\",\"by\":-1}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));
        TopicProbe.send(
                "Tally",
                key,
                "{\"key\":\"" + key + "\",\"by\":2}",
                Map.of(EventHeaders.ID, UUID.randomUUID().toString()));

        ConsumerRecord<String, String> dead =
                TopicProbe.await("Tally.outbox-test.DLT", r -> key.equals(r.key()), Duration.ofSeconds(60));
        assertTrue(TopicProbe.header(dead, "dead-letter-reason").orElse("").contains("only counts up"));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().get("/tally/" + key).then().body(is("2")));
    }
}
