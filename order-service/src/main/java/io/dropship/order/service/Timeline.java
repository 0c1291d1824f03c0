package io.dropship.order.service;

import static io.dropship.platform.sql.SqlValues.instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
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

    /** An entry an event brings: kept once per event id. */
    public record EventEntry(
            UUID orderId, Instant at, String service, String kind, String summary, Object detail, String eventId) {}

    private final ObjectMapper mapper;
    private final Pool pool;

    public Timeline(ObjectMapper mapper, Pool pool) {
        this.mapper = mapper;
        this.pool = pool;
    }

    /**
     * Adds the entries of a poll's worth of events in one statement and one transaction; an event id already kept (a
     * redelivery, or the same event twice in the batch) adds nothing. Returns how many were added.
     */
    public Uni<Integer> recordAll(List<EventEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        int n = entries.size();
        UUID[] orders = new UUID[n];
        OffsetDateTime[] ats = new OffsetDateTime[n];
        String[] services = new String[n];
        String[] kinds = new String[n];
        String[] summaries = new String[n];
        String[] details = new String[n];
        String[] events = new String[n];
        for (int i = 0; i < n; i++) {
            EventEntry e = entries.get(i);
            orders[i] = e.orderId();
            ats[i] = (e.at() == null ? Instant.now() : e.at()).atOffset(ZoneOffset.UTC);
            services[i] = e.service();
            kinds[i] = e.kind();
            summaries[i] = clip(e.summary());
            details[i] = json(e.detail());
            events[i] = e.eventId();
        }
        return pool.preparedQuery("""
                        insert into order_timeline (order_id, at, service, kind, summary, detail, event_id)
                        select o, a, s, k, m, cast(d as jsonb), e
                        from unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::text[]) as t (o, a, s, k, m, d, e)
                        on conflict (event_id) do nothing""")
                .execute(Tuple.tuple()
                        .addArrayOfUUID(orders)
                        .addArrayOfOffsetDateTime(ats)
                        .addArrayOfString(services)
                        .addArrayOfString(kinds)
                        .addArrayOfString(summaries)
                        .addArrayOfString(details)
                        .addArrayOfString(events))
                .map(rows -> rows.rowCount());
    }

    private static String clip(String summary) {
        return summary.length() <= 1000 ? summary : summary.substring(0, 999) + "…";
    }

    /** The detail as JSON without personal data; null when there is none or it cannot be written. */
    private String json(Object detail) {
        try {
            JsonNode tree = detail == null ? null : mapper.valueToTree(detail);
            if (tree instanceof ObjectNode o) {
                o.remove(PERSONAL);
            }
            return tree == null ? null : mapper.writeValueAsString(tree);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null;
        }
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
        String json = json(detail);
        return s.createNativeQuery("insert into order_timeline (order_id, at, service, kind, summary, detail, event_id)"
                        + " values (:orderId, :at, :service, :kind, :summary, cast(cast(:detail as text) as jsonb), :event)"
                        + " on conflict (event_id) do nothing")
                .setParameter("orderId", orderId)
                .setParameter("at", at == null ? Instant.now() : at)
                .setParameter("service", service)
                .setParameter("kind", kind)
                .setParameter("summary", clip(summary))
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
