package io.dropship.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import java.util.Map;
import java.util.UUID;

/**
 * Events as another service publishes them: a contract's example to start from, and a publish that checks the event
 * against its schema and sends it to its topic with the headers the outbox relay sets ({@code id}, {@code eventType}).
 */
public final class Events {

    public static final ObjectMapper JSON = new ObjectMapper();

    private Events() {}

    /** A copy of the example in {@code contracts/events/<event>.schema.json}, to change and publish. */
    public static ObjectNode example(String event) {
        try {
            return (ObjectNode) JSON.readTree(ContractCheck.example(event));
        } catch (Exception e) {
            throw new AssertionError("no example for " + event, e);
        }
    }

    /** Publishes a valid event under a new event id, which it answers. */
    public static String publish(String topic, String key, ObjectNode payload) {
        return publish(UUID.randomUUID().toString(), topic, key, payload);
    }

    /** Publishes a valid event under this event id (a redelivery repeats one). */
    public static String publish(String eventId, String topic, String key, ObjectNode payload) {
        ContractCheck.assertValid(topic, payload.toString());
        TopicProbe.send(topic, key, payload.toString(), Map.of("id", eventId, "eventType", topic));
        return eventId;
    }
}
