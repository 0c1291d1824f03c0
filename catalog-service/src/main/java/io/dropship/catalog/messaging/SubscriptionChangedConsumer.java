package io.dropship.catalog.messaging;

import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A retailer's plan as settlement-service's SubscriptionChanged says it: the catalog keeps its supplier limit, which
 * listing a product of one more supplier is checked against. The newest change is kept; a late one changes nothing.
 */
@ApplicationScoped
public class SubscriptionChangedConsumer {

    public record SubscriptionChanged(
            String retailerId, String plan, String status, Integer supplierLimit, Instant changedAt) {}

    private final Inbox inbox;

    public SubscriptionChangedConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    public Uni<Void> changed(ConsumerRecord<String, String> record) {
        return inbox.apply("subscription-changed", record, SubscriptionChanged.class, (s, e, p) -> {
            if (p.retailerId() == null || p.plan() == null || p.changedAt() == null) {
                throw new PoisonMessageException("SubscriptionChanged lacks its retailer, plan or time");
            }
            boolean live = p.status() != null && p.status().matches("TRIALING|ACTIVE|PAST_DUE");
            return s.createNativeQuery(
                            "insert into retailer_plan_limit as x (retailer_id, plan, supplier_limit, changed_at)"
                                    + " values (:retailerId, :plan, :limit, :at) on conflict (retailer_id) do update set plan = excluded.plan,"
                                    + " supplier_limit = excluded.supplier_limit, changed_at = excluded.changed_at"
                                    + " where x.changed_at <= excluded.changed_at")
                    .setParameter("retailerId", p.retailerId())
                    .setParameter("plan", live ? p.plan() : "BASIC")
                    .setParameter("limit", p.supplierLimit())
                    .setParameter("at", p.changedAt().atOffset(ZoneOffset.UTC))
                    .executeUpdate();
        });
    }
}
