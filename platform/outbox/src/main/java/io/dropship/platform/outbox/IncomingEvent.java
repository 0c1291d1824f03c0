package io.dropship.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** An event read from a topic, with the headers the fleet puts on every event. */
public record IncomingEvent(String topic, String eventId, String type, String key, String payload, Instant occurredAt) {

    /**
     * @throws PoisonMessageException when the record lacks an event id or a body: it can never be applied
     */
    public static IncomingEvent from(ConsumerRecord<String, String> record) {
        String id = header(record, EventHeaders.ID);
        if (id == null || id.isBlank()) {
            throw new PoisonMessageException("record at " + record.topic() + "-" + record.partition() + "@"
                    + record.offset() + " has no '" + EventHeaders.ID + "' header");
        }
        if (record.value() == null || record.value().isBlank()) {
            throw new PoisonMessageException("event " + id + " has an empty body");
        }
        String type = header(record, EventHeaders.TYPE);
        return new IncomingEvent(
                record.topic(),
                id,
                type == null ? record.topic() : type,
                record.key(),
                record.value(),
                // When the producer's transaction wrote the event (its outbox row); null when absent or not a time.
                EventTimes.parse(header(record, EventHeaders.OCCURRED_AT)));
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header h = record.headers().lastHeader(name);
        if (h == null || h.value() == null) {
            return null;
        }
        return unquote(new String(h.value(), StandardCharsets.UTF_8));
    }

    /** Debezium may hand a string header over as a JSON string literal. */
    static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1)
                : value;
    }
}
