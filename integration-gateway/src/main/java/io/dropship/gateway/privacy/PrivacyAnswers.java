package io.dropship.gateway.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Collects the services' answers to a privacy request (PrivacyRequestDone), part by part, and completes the request
 * once every service in {@code dropship.privacy.services} has answered as many parts as the first of them (order-service,
 * which found the orders) said there are. An erasure's e-mail is masked on completion.
 */
@ApplicationScoped
public class PrivacyAnswers {

    private static final Logger LOG = Logger.getLogger(PrivacyAnswers.class);

    public record PrivacyRequestDone(
            UUID requestId,
            String service,
            String kind,
            Integer part,
            Integer parts,
            List<UUID> orderIds,
            List<UUID> keptOrderIds,
            Integer records,
            List<JsonNode> data,
            Instant doneAt) {}

    private final Inbox inbox;
    private final ObjectMapper mapper;
    private final GatewayConfig config;

    public PrivacyAnswers(Inbox inbox, ObjectMapper mapper, GatewayConfig config) {
        this.inbox = inbox;
        this.mapper = mapper;
        this.config = config;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("privacy-request-done", record, PrivacyRequestDone.class, (s, e, p) -> {
            if (p.requestId() == null
                    || p.service() == null
                    || p.part() == null
                    || p.parts() == null
                    || p.part() < 1
                    || p.parts() < p.part()
                    || p.orderIds() == null
                    || p.records() == null
                    || p.doneAt() == null) {
                throw new PoisonMessageException(
                        "PrivacyRequestDone lacks a request, service, part, orders, records or time");
            }
            return s.createNativeQuery("select status from privacy_request where id = :id for update", String.class)
                    .setParameter("id", p.requestId())
                    .getSingleResultOrNull()
                    .chain(status -> {
                        if (status == null) {
                            throw new PoisonMessageException(
                                    "privacy request " + p.requestId() + " is not this gateway's");
                        }
                        return record(s, p)
                                .chain(() -> "COMPLETED".equals(status)
                                        ? Uni.createFrom().voidItem()
                                        : completeIfDone(s, p.requestId()));
                    });
        });
    }

    private Uni<Integer> record(Mutiny.Session s, PrivacyRequestDone p) {
        return s.createNativeQuery("insert into privacy_request_part (request_id, service, part, parts, order_ids,"
                        + " kept_order_ids, records, data, done_at) values (:id, :service, :part, :parts,"
                        + " cast(cast(:orders as text) as jsonb), cast(cast(:kept as text) as jsonb), :records,"
                        + " cast(cast(:data as text) as jsonb), :at) on conflict do nothing")
                .setParameter("id", p.requestId())
                .setParameter("service", p.service())
                .setParameter("part", p.part())
                .setParameter("parts", p.parts())
                .setParameter("orders", write(p.orderIds()))
                .setParameter("kept", write(p.keptOrderIds() == null ? List.of() : p.keptOrderIds()))
                .setParameter("records", p.records())
                .setParameter("data", p.data() == null ? null : write(p.data()))
                .setParameter("at", p.doneAt().atOffset(ZoneOffset.UTC))
                .executeUpdate();
    }

    private Uni<Void> completeIfDone(Mutiny.Session s, UUID requestId) {
        List<String> services = config.privacy().services();
        return s.createNativeQuery(
                        "select service, count(*), max(parts) from privacy_request_part where request_id = :id"
                                + " group by service",
                        Object[].class)
                .setParameter("id", requestId)
                .getResultList()
                .chain(rows -> {
                    Map<String, Long> answered = new HashMap<>();
                    Map<String, Integer> parts = new HashMap<>();
                    for (Object[] row : rows) {
                        answered.put((String) row[0], ((Number) row[1]).longValue());
                        parts.put((String) row[0], ((Number) row[2]).intValue());
                    }
                    Integer expected = parts.get(services.get(0));
                    boolean done = expected != null
                            && services.stream().allMatch(sv -> answered.getOrDefault(sv, 0L) == expected.longValue());
                    if (!done) {
                        return Uni.createFrom().voidItem();
                    }
                    LOG.infof("privacy request %s completed by %s", requestId, services);
                    return s.createNativeQuery("update privacy_request set status = 'COMPLETED', completed_at = now(),"
                                    + " customer_email = case when kind = 'EXPORT_CUSTOMER' then customer_email"
                                    + " else regexp_replace(customer_email, '^(.)[^@]*', '\\1***') end where id = :id")
                            .setParameter("id", requestId)
                            .executeUpdate()
                            .replaceWithVoid();
                });
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new PoisonMessageException("PrivacyRequestDone cannot be written back: " + e.getOriginalMessage());
        }
    }
}
