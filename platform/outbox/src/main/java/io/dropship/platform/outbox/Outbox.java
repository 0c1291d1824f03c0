package io.dropship.platform.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

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
            return Uni.createFrom().failure(new IllegalStateException(
                    "an event must be published inside the transaction of the change that causes it"));
        }
        String json;
        try {
            json = payload instanceof String s ? s : mapper.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("event payload is not serialisable", e));
        }
        UUID id = UUID.randomUUID();
        return session.createNativeQuery("insert into outbox_event (id, aggregatetype, aggregateid, type, payload, occurredat)"
                        + " values (:id, :topic, :key, :type, cast(cast(:payload as text) as jsonb), :at)")
                .setParameter("id", id)
                .setParameter("topic", topic)
                .setParameter("key", aggregateId)
                .setParameter("type", type)
                .setParameter("payload", json)
                .setParameter("at", OffsetDateTime.now(ZoneOffset.UTC))
                .executeUpdate()
                .replaceWith(id);
    }

    /** Publishes an event whose type is its topic's name, the fleet's usual case. */
    public Uni<UUID> publish(Mutiny.Session session, String topic, String aggregateId, Object payload) {
        return publish(session, topic, aggregateId, topic, payload);
    }
}
