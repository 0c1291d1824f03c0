package io.dropship.platform.outbox;

/** Kafka headers every event on the fleet's topics carries. */
public final class EventHeaders {

    /** The unique event id (Debezium's EventRouter names it {@code id}). */
    public static final String ID = "id";
    /** The event type, for example {@code OrderPlaced}. */
    public static final String TYPE = "eventType";
    /** When the change happened, ISO-8601. */
    public static final String OCCURRED_AT = "occurredAt";
    /** The W3C trace context of the span that wrote the event; absent when tracing is off. */
    public static final String TRACEPARENT = "traceparent";

    private EventHeaders() {}
}
