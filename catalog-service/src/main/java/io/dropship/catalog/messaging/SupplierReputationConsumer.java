package io.dropship.catalog.messaging;

import io.dropship.catalog.directory.SupplierProfiles;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the directory shows of a supplier that other services know: its rating (order-service's SupplierScored) and its
 * return policy (settlement-service's ReturnPolicyChanged). The newest of each is kept; an older one delivered late
 * changes nothing. A supplier the catalog does not know changes nothing.
 */
@ApplicationScoped
public class SupplierReputationConsumer {

    public record SupplierScored(
            String supplierId,
            BigDecimal reliability,
            BigDecimal onTimeRate,
            BigDecimal caseRate,
            Long orders,
            Instant scoredAt) {}

    public record ReturnPolicyChanged(
            String supplierId,
            Boolean acceptsReturns,
            Integer windowDays,
            Boolean refundShipping,
            BigDecimal restockingFeePercent,
            String returnShippingPaidBy,
            Instant changedAt) {}

    private final Inbox inbox;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public SupplierReputationConsumer(Inbox inbox, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.inbox = inbox;
        this.mapper = mapper;
    }

    public Uni<Void> scored(ConsumerRecord<String, String> record) {
        return inbox.apply("supplier-scored", record, SupplierScored.class, (s, e, p) -> {
            if (p.supplierId() == null || p.reliability() == null || p.scoredAt() == null) {
                throw new PoisonMessageException("SupplierScored lacks its supplier, reliability or time");
            }
            return s.createNativeQuery(SupplierProfiles.ENSURE)
                    .setParameter("sup", p.supplierId())
                    .executeUpdate()
                    .chain(() -> s.createNativeQuery(
                                    "update supplier_profile set rating = :r, on_time_rate = :o, case_rate = :c,"
                                            + " scored_orders = :n, scored_at = :at, updated_at = now() where supplier_id = :sup"
                                            + " and (scored_at is null or scored_at <= :at)")
                            .setParameter("r", p.reliability())
                            .setParameter("o", p.onTimeRate())
                            .setParameter("c", p.caseRate())
                            .setParameter("n", p.orders() == null ? 0L : p.orders())
                            .setParameter("at", p.scoredAt().atOffset(ZoneOffset.UTC))
                            .setParameter("sup", p.supplierId())
                            .executeUpdate());
        });
    }

    public Uni<Void> returnPolicy(ConsumerRecord<String, String> record) {
        return inbox.apply("return-policy-changed", record, ReturnPolicyChanged.class, (s, e, p) -> {
            if (p.supplierId() == null || p.acceptsReturns() == null || p.changedAt() == null) {
                throw new PoisonMessageException("ReturnPolicyChanged lacks its supplier, policy or time");
            }
            String policy;
            try {
                policy = mapper.writeValueAsString(Map.of(
                        "acceptsReturns",
                        p.acceptsReturns(),
                        "windowDays",
                        p.windowDays() == null ? 0 : p.windowDays(),
                        "refundShipping",
                        Boolean.TRUE.equals(p.refundShipping()),
                        "restockingFeePercent",
                        p.restockingFeePercent() == null ? BigDecimal.ZERO : p.restockingFeePercent(),
                        "returnShippingPaidBy",
                        p.returnShippingPaidBy() == null ? "RETAILER" : p.returnShippingPaidBy()));
            } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                throw new IllegalStateException(x);
            }
            return s.createNativeQuery(SupplierProfiles.ENSURE)
                    .setParameter("sup", p.supplierId())
                    .executeUpdate()
                    .chain(() -> s.createNativeQuery(
                                    "update supplier_profile set return_policy = cast(cast(:p as text) as jsonb),"
                                            + " return_policy_at = :at, updated_at = now() where supplier_id = :sup"
                                            + " and (return_policy_at is null or return_policy_at <= :at)")
                            .setParameter("p", policy)
                            .setParameter("at", p.changedAt().atOffset(ZoneOffset.UTC))
                            .setParameter("sup", p.supplierId())
                            .executeUpdate());
        });
    }
}
