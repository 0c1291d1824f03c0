package io.dropship.gateway.service;

import io.dropship.gateway.domain.NormalizedOrder;
import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.entity.InboundOrder;
import io.dropship.gateway.messaging.events.OrderPlaced;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.TimeOrderedIds;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Takes a store order in exactly once: records it and publishes OrderPlaced in one transaction. A second
 * delivery of the same order (same idempotency key, or same store order id) changes nothing and answers
 * with the order taken in the first time.
 */
@ApplicationScoped
public class OrderIntake {

    public record Accepted(UUID orderId, String orderNumber, String storeOrderId, boolean duplicate) {}

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;

    public OrderIntake(Mutiny.SessionFactory sessions, Outbox outbox) {
        this.sessions = sessions;
        this.outbox = outbox;
    }

    /** Takes the order in; {@code webhook} names the store webhook that brought it (null for the API). */
    public Uni<Accepted> accept(
            String retailerId,
            String storeId,
            StorePlatform platform,
            String idempotencyKey,
            NormalizedOrder order,
            OrderPlaced.Webhook webhook) {
        UUID orderId = TimeOrderedIds.next();
        Instant now = Instant.now();
        // The order number (DS- and the sequence's next value, at least eight digits) is drawn by the insert that
        // returns it; a second delivery draws one too and inserts nothing, as with a separate nextval.
        return sessions.withTransaction(session -> session.createNativeQuery(
                        "insert into inbound_order (id, order_number, retailer_id, store_id,"
                                + " store_platform, store_order_id, idempotency_key, received_at)"
                                + " select :id, 'DS-' || lpad(cast(n as text), greatest(8, length(cast(n as text))), '0'),"
                                + " :retailer, :store, :platform, :storeOrder, :key, :at"
                                + " from (select nextval('order_number_seq') n) seq"
                                + " on conflict do nothing returning order_number",
                        String.class)
                .setParameter("id", orderId)
                .setParameter("retailer", retailerId)
                .setParameter("store", storeId)
                .setParameter("platform", platform.name())
                .setParameter("storeOrder", order.storeOrderId())
                .setParameter("key", idempotencyKey)
                .setParameter("at", now)
                .getResultList()
                .chain(numbers -> {
                    String orderNumber = numbers.isEmpty() ? null : numbers.get(0);
                    return orderNumber != null
                            ? recordLines(session, orderId, order)
                                    .chain(() -> mapToListings(session, storeId, platform, order))
                                    .chain(mapped -> outbox.publish(
                                            session,
                                            OrderPlaced.TOPIC,
                                            orderId.toString(),
                                            OrderPlaced.of(
                                                    orderId,
                                                    orderNumber,
                                                    retailerId,
                                                    storeId,
                                                    platform,
                                                    mapped,
                                                    now,
                                                    webhook)))
                                    .replaceWith(new Accepted(orderId, orderNumber, order.storeOrderId(), false))
                            : earlier(session, retailerId, storeId, idempotencyKey, order);
                }));
    }

    /**
     * Names the listing behind each line whose store product the gateway created (it keeps the store's product and
     * variant ids), and gives a line that came without a SKU the listing's SKU, so order-service routes it.
     */
    static Uni<NormalizedOrder> mapToListings(
            Mutiny.Session session, String storeId, StorePlatform platform, NormalizedOrder order) {
        List<NormalizedOrder.Line> mapped = new java.util.ArrayList<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (NormalizedOrder.Line line : order.lines()) {
            String key = platform == StorePlatform.SHOPIFY
                    ? (line.storeVariantId() == null ? null : "gid://shopify/ProductVariant/" + line.storeVariantId())
                    : platform == StorePlatform.WOOCOMMERCE
                            ? (line.storeVariantId() != null ? line.storeVariantId() : line.storeProductId())
                            : null;
            if (key == null || line.listingId() != null) {
                chain = chain.invoke(() -> mapped.add(line));
                continue;
            }
            chain = chain.chain(() -> session.createNativeQuery(
                            "select listing_id, sku from store_listing"
                                    + " where store_id = :store and store_variant_id = :v",
                            Object[].class)
                    .setParameter("store", storeId)
                    .setParameter("v", key)
                    .getResultList()
                    .invoke(rows -> {
                        if (rows.isEmpty()) {
                            mapped.add(line);
                            return;
                        }
                        Object[] r = rows.get(0);
                        boolean placeholder = line.sku().startsWith("shopify-variant-")
                                || line.sku().startsWith("woo-product-");
                        mapped.add(new NormalizedOrder.Line(
                                line.lineId(),
                                (String) r[0],
                                line.storeProductId(),
                                line.storeVariantId(),
                                placeholder ? (String) r[1] : line.sku(),
                                line.title(),
                                line.quantity(),
                                line.retailPrice()));
                    })
                    .replaceWithVoid());
        }
        return chain.map(v -> new NormalizedOrder(
                order.storeOrderId(),
                order.storeId(),
                order.currency(),
                order.customerEmail(),
                List.copyOf(mapped),
                order.shippingAddress(),
                order.totals()));
    }

    /** The store's lines, kept to match shipments to them and to tell the store when every line has shipped. */
    private static Uni<Void> recordLines(Mutiny.Session session, UUID orderId, NormalizedOrder order) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (NormalizedOrder.Line line : order.lines()) {
            chain = chain.chain(
                    () -> session.createNativeQuery("insert into inbound_order_line (order_id, line_id, sku, quantity)"
                                    + " values (:order, :line, :sku, :quantity) on conflict (order_id, line_id)"
                                    + " do update set quantity = inbound_order_line.quantity + excluded.quantity")
                            .setParameter("order", orderId)
                            .setParameter("line", line.lineId())
                            .setParameter("sku", line.sku())
                            .setParameter("quantity", line.quantity())
                            .executeUpdate()
                            .replaceWithVoid());
        }
        return chain;
    }

    private Uni<Accepted> earlier(
            Mutiny.Session session, String retailerId, String storeId, String idempotencyKey, NormalizedOrder order) {
        return session.createSelectionQuery(
                        "from InboundOrder where (retailerId = :retailer and idempotencyKey = :key)"
                                + " or (storeId = :store and storeOrderId = :storeOrder)",
                        InboundOrder.class)
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
