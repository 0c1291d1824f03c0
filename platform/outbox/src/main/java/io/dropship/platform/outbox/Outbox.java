package io.dropship.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Publishes an event by writing it to the outbox table in the caller's transaction, so the event exists
 * if and only if the state change that caused it commits. The relay (Debezium) takes it to Kafka.
 */
@ApplicationScoped
public class Outbox {

    private final ObjectMapper mapper;

    public Outbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param session     the session of the transaction that makes the state change
     * @param topic       the topic, for example {@code OrderPlaced}
     * @param aggregateId the Kafka key: events with the same key stay in order
     * @param type        the event type header
     * @param payload     serialised to JSON
     * @return the event id
     */
    public Uni<UUID> publish(Mutiny.Session session, String topic, String aggregateId, String type, Object payload) {
        if (session.currentTransaction() == null) {
            return Uni.createFrom()
                    .failure(new IllegalStateException(
                            "an event must be published inside the transaction of the change that causes it"));
        }
        String json;
        try {
            json = payload instanceof String s ? s : mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("event payload is not serialisable", e));
        }
        UUID id = TimeOrderedIds.next();
        return session.createNativeQuery(
                        "insert into outbox_event (id, aggregatetype, aggregateid, type, payload, occurredat,"
                                + " traceparent) values (:id, :topic, :key, :type, cast(cast(:payload as text) as jsonb), :at, :trace)")
                .setParameter("id", id)
                .setParameter("topic", topic)
                .setParameter("key", aggregateId)
                .setParameter("type", type)
                .setParameter("payload", json)
                .setParameter("at", OffsetDateTime.now(ZoneOffset.UTC))
                .setParameter("trace", traceparent())
                .executeUpdate()
                .replaceWith(id);
    }

    /**
     * The W3C trace context of the span the event is written in (an HTTP request, or the consumer of the event that
     * caused this one), or null without one (tracing off). The relay puts it on the Kafka record as the
     * {@code traceparent} header, where the consumers' tracing picks it up: one trace follows an order from the store's
     * webhook through every service.
     */
    static String traceparent() {
        SpanContext span = Span.current().getSpanContext();
        if (!span.isValid()) {
            return null;
        }
        return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-"
                + span.getTraceFlags().asHex();
    }

    /** Publishes an event whose type is its topic's name, the fleet's usual case. */
    public Uni<UUID> publish(Mutiny.Session session, String topic, String aggregateId, Object payload) {
        return publish(session, topic, aggregateId, topic, payload);
    }

    /** One event for the outbox: its Kafka key and its payload. */
    public record Event(String aggregateId, Object payload) {}

    /**
     * Publishes many events of one topic with one statement, inside the session's transaction, in the order given.
     * The events travel as one JSON array (a key and a payload each), so the statement's text is the same however
     * many there are. Nothing is written for an empty list.
     */
    public Uni<Integer> publishAll(Mutiny.Session session, String topic, List<Event> events) {
        if (session.currentTransaction() == null) {
            return Uni.createFrom()
                    .failure(new IllegalStateException(
                            "an event must be published inside the transaction of the change that causes it"));
        }
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        StringBuilder json = new StringBuilder(events.size() * 512).append('[');
        try {
            for (Event e : events) {
                json.append(json.length() > 1 ? "," : "")
                        .append("{\"k\":")
                        .append(mapper.writeValueAsString(e.aggregateId()))
                        .append(",\"p\":")
                        .append(e.payload() instanceof String text ? text : mapper.writeValueAsString(e.payload()))
                        .append('}');
            }
        } catch (JsonProcessingException x) {
            return Uni.createFrom().failure(new IllegalArgumentException("event payload is not serialisable", x));
        }
        return session.createNativeQuery(
                        "insert into outbox_event (id, aggregatetype, aggregateid, type, payload,"
                                + " occurredat, traceparent) select " + TimeOrderedIds.SQL
                                + ", :topic, e.value->>'k', :topic,"
                                + " e.value->'p', :at, :trace"
                                + " from jsonb_array_elements(cast(cast(:events as text) as jsonb)) with ordinality e order by e.ordinality")
                .setParameter("topic", topic)
                .setParameter("events", json.append(']').toString())
                .setParameter("at", OffsetDateTime.now(ZoneOffset.UTC))
                .setParameter("trace", traceparent())
                .executeUpdate();
    }

    /**
     * Publishes many events of one topic with one statement, on a plain connection that must be inside the
     * transaction of the change (bulk writers use the reactive client directly). Nothing is written for an empty list.
     */
    public Uni<Integer> publishAll(
            io.vertx.mutiny.sqlclient.SqlConnection connection, String topic, List<Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        String[] keys = new String[events.size()];
        String[] payloads = new String[events.size()];
        for (int i = 0; i < keys.length; i++) {
            Event e = events.get(i);
            keys[i] = e.aggregateId();
            try {
                payloads[i] = e.payload() instanceof String text ? text : mapper.writeValueAsString(e.payload());
            } catch (JsonProcessingException x) {
                return Uni.createFrom().failure(new IllegalArgumentException("event payload is not serialisable", x));
            }
        }
        return connection
                .preparedQuery("insert into outbox_event (id, aggregatetype, aggregateid, type, payload, occurredat,"
                        + " traceparent) select " + TimeOrderedIds.SQL + ", $1, k, $1, p::jsonb, $4, $5::varchar"
                        + " from unnest($2::text[], $3::text[]) as u(k, p)")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(
                        topic, keys, payloads, OffsetDateTime.now(ZoneOffset.UTC), traceparent()))
                .map(rows -> rows.rowCount());
    }
}
