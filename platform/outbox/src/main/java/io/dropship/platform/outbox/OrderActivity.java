package io.dropship.platform.outbox;

import java.time.Instant;
import java.util.UUID;

/**
 * OrderActivity (contracts/events/OrderActivity.schema.json): something that happened to an order that no other event
 * tells (a store webhook, a call to the store and its answer, a supplier callback and its answer, a refund, people
 * notified), published through the outbox in the transaction that records it, for the order's timeline at
 * order-service. {@code detail} must hold no personal data.
 */
public record OrderActivity(
        UUID orderId, String service, String kind, String summary, Object detail, Instant occurredAt) {

    public static final String TOPIC = "OrderActivity";

    /** Publishes it in the caller's transaction, keyed by the order. */
    public static io.smallrye.mutiny.Uni<Void> publish(
            Outbox outbox,
            org.hibernate.reactive.mutiny.Mutiny.Session s,
            UUID orderId,
            String service,
            String kind,
            String summary,
            Object detail) {
        String text = summary.length() <= 1000 ? summary : summary.substring(0, 999) + "…";
        return outbox.publish(
                        s,
                        TOPIC,
                        orderId.toString(),
                        new OrderActivity(orderId, service, kind, text, detail, Instant.now()))
                .replaceWithVoid();
    }
}
