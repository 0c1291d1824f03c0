package io.dropship.platform.outbox;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * One trace follows a change through the outbox: the span an event is written in travels in the outbox row and the
 * Kafka record's traceparent header, the consumer's span continues that trace, and the events the consumer writes
 * carry it on. (Exporting the spans is OTLP's business, configured per environment.)
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class TraceContextIT {

    static String traceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static String traceOf(ConsumerRecord<String, String> record) {
        String header = TopicProbe.header(record, EventHeaders.TRACEPARENT)
                .orElseThrow(
                        () -> new AssertionError("no traceparent header on " + record.topic() + " " + record.key()));
        assertTrue(header.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), header);
        return header;
    }

    @Test
    void anEventWrittenInARequestCarriesTheRequestsTrace() {
        String trace = traceId();
        String callerSpan = "00f067aa0ba902b7";
        String key = "traced-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .header("traceparent", "00-" + trace + "-" + callerSpan + "-01")
                .body(Map.of("text", "traced", "topic", "Notes", "key", key, "failAfterPublish", false))
                .post("/notes")
                .then()
                .statusCode(200);

        String header = traceOf(TopicProbe.await("Notes", r -> key.equals(r.key()), Duration.ofSeconds(60)));
        assertEquals(trace, header.split("-")[1], "the event continues the caller's trace");
        assertNotEquals(callerSpan, header.split("-")[2], "its parent is the request's own span, not the caller's");
    }

    @Test
    void aConsumerContinuesTheTraceOfTheEventAndPassesItOn() {
        String trace = traceId();
        String key = "echo-" + UUID.randomUUID();
        TopicProbe.send(
                "Tally",
                key,
                "{\"key\":\"" + key + "\",\"by\":1}",
                Map.of(
                        EventHeaders.ID,
                        UUID.randomUUID().toString(),
                        EventHeaders.TRACEPARENT,
                        "00-" + trace + "-b7ad6b7169203331-01"));

        String header = traceOf(TopicProbe.await("Echoes", r -> key.equals(r.key()), Duration.ofSeconds(60)));
        assertEquals(trace, header.split("-")[1], "the answer is in the trace of the event it answers");
    }

    @Test
    void aRequestWithoutATraceStartsOne() {
        String key = "untraced-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body(Map.of("text", "plain", "topic", "Notes", "key", key, "failAfterPublish", false))
                .post("/notes")
                .then()
                .statusCode(200);
        ConsumerRecord<String, String> record =
                TopicProbe.await("Notes", r -> key.equals(r.key()), Duration.ofSeconds(60));
        // The request's server span starts a trace when none came in; the event is in it.
        traceOf(record);
    }
}
