package io.dropship.gateway.service;

import io.dropship.gateway.domain.NormalizedOrder;
import io.dropship.gateway.domain.OrderPlaced;
import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.repository.InboundOrder;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.UUID;

/**
 * Takes a store order in exactly once: records it and publishes OrderPlaced in one transaction. A second
 * delivery of the same order (same idempotency key, or same store order id) changes nothing and answers
 * with the order taken in the first time.
 */
@ApplicationScoped
public class OrderIntake {

    public record Accepted(UUID orderId, String orderNumber, String storeOrderId, boolean duplicate) {
    }

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    public OrderIntake(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    public Uni<Accepted> accept(String retailerId, String storeId, StorePlatform platform, String idempotencyKey,
                                NormalizedOrder order) {
        UUID orderId = UUID.randomUUID();
        Instant now = Instant.now();
        return sessions.withTransaction(session -> session
                .createNativeQuery("select nextval('order_number_seq')", Long.class).getSingleResult()
                .chain(seq -> {
                    String orderNumber = "DS-" + String.format("%08d", seq);
                    return session.createNativeQuery("insert into inbound_order (id, order_number, retailer_id, store_id,"
                                    + " store_platform, store_order_id, idempotency_key, received_at)"
                                    + " values (:id, :number, :retailer, :store, :platform, :storeOrder, :key, :at)"
                                    + " on conflict do nothing")
                            .setParameter("id", orderId)
                            .setParameter("number", orderNumber)
                            .setParameter("retailer", retailerId)
                            .setParameter("store", storeId)
                            .setParameter("platform", platform.name())
                            .setParameter("storeOrder", order.storeOrderId())
                            .setParameter("key", idempotencyKey)
                            .setParameter("at", now)
                            .executeUpdate()
                            .chain(rows -> rows == 1
                                    ? recordLines(session, orderId, order).chain(() -> outbox.publish(session, OrderPlaced.TOPIC, orderId.toString(),
                                            OrderPlaced.of(orderId, orderNumber, retailerId, storeId, platform, order, now)))
                                    .replaceWith(new Accepted(orderId, orderNumber, order.storeOrderId(), false))
                                    : earlier(session, retailerId, storeId, idempotencyKey, order));
                }));
    }

    /** The store's lines, kept to match shipments to them and to tell the store when every line has shipped. */
    private static Uni<Void> recordLines(Mutiny.Session session, UUID orderId, NormalizedOrder order) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (NormalizedOrder.Line line : order.lines()) {
            chain = chain.chain(() -> session.createNativeQuery("insert into inbound_order_line (order_id, line_id, sku, quantity)"
                            + " values (:order, :line, :sku, :quantity) on conflict (order_id, line_id)"
                            + " do update set quantity = inbound_order_line.quantity + excluded.quantity")
                    .setParameter("order", orderId).setParameter("line", line.lineId()).setParameter("sku", line.sku())
                    .setParameter("quantity", line.quantity()).executeUpdate().replaceWithVoid());
        }
        return chain;
    }

    private Uni<Accepted> earlier(Mutiny.Session session, String retailerId, String storeId, String idempotencyKey,
                                  NormalizedOrder order) {
        return session.createSelectionQuery("from InboundOrder where (retailerId = :retailer and idempotencyKey = :key)"
                        + " or (storeId = :store and storeOrderId = :storeOrder)", InboundOrder.class)
                .setParameter("retailer", retailerId)
                .setParameter("key", idempotencyKey)
                .setParameter("store", storeId)
                .setParameter("storeOrder", order.storeOrderId())
                .getResultList()
                .map(found -> {
                    InboundOrder first = found.get(0);
                    if (!order.storeOrderId().equals(first.storeOrderId)) {
                        throw ProblemException.conflict("Idempotency-Key " + idempotencyKey
                                + " was already used for store order " + first.storeOrderId);
                    }
                    return new Accepted(first.id, first.orderNumber, first.storeOrderId, true);
                });
    }
}
