package io.dropship.order.service;

import static io.dropship.platform.sql.SqlValues.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * An order's timeline: what happened to it in every service, in time order. Entries come from the events on the bus
 * ({@code messaging/TimelineConsumer}, one per event) and from this service's routing decisions (written in the
 * transaction that takes them). Personal data is left out of every entry's detail.
 */
@ApplicationScoped
public class Timeline {

    /** Fields that carry a customer's personal data: never kept in a timeline. */
    static final Set<String> PERSONAL =
            Set.of("shippingAddress", "billingAddress", "customerEmail", "customer", "email", "phone");

    public record Entry(Instant at, String service, String kind, String summary, JsonNode detail) {}

    private final ObjectMapper mapper;

    public Timeline(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Adds an entry; one per event id (a redelivered event adds nothing), any number without one. */
    public Uni<Void> record(
            Mutiny.Session s,
            UUID orderId,
            Instant at,
            String service,
            String kind,
            String summary,
            Object detail,
            String eventId) {
        String json;
        try {
            JsonNode tree = detail == null ? null : mapper.valueToTree(detail);
            if (tree instanceof ObjectNode o) {
                o.remove(PERSONAL);
            }
            json = tree == null ? null : mapper.writeValueAsString(tree);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            json = null;
        }
        return s.createNativeQuery("insert into order_timeline (order_id, at, service, kind, summary, detail, event_id)"
                        + " values (:orderId, :at, :service, :kind, :summary, cast(cast(:detail as text) as jsonb), :event)"
                        + " on conflict (event_id) do nothing")
                .setParameter("orderId", orderId)
                .setParameter("at", at == null ? Instant.now() : at)
                .setParameter("service", service)
                .setParameter("kind", kind)
                .setParameter("summary", summary.length() <= 1000 ? summary : summary.substring(0, 999) + "…")
                .setParameter("detail", json)
                .setParameter("event", eventId)
                .executeUpdate()
                .replaceWithVoid();
    }

    /** The order's timeline, oldest first (at most {@code limit} entries). */
    public Uni<List<Entry>> of(Mutiny.Session s, UUID orderId, int limit) {
        return s.createNativeQuery(
                        "select at, service, kind, summary, cast(detail as text) from order_timeline"
                                + " where order_id = :orderId order by at, id limit :n",
                        Object[].class)
                .setParameter("orderId", orderId)
                .setParameter("n", limit)
                .getResultList()
                .map(rows -> rows.stream()
                        .map(r -> new Entry(
                                instant(r[0]), (String) r[1], (String) r[2], (String) r[3], read((String) r[4])))
                        .toList());
    }

    private JsonNode read(String json) {
        try {
            return json == null ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
