package io.dropship.gateway.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.gateway.domain.NormalizedOrder;
import io.dropship.gateway.domain.OrderCancelled;
import io.dropship.gateway.domain.StoreOrders;
import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.repository.InboundOrder;
import io.dropship.gateway.repository.StoreConnection;
import io.dropship.platform.outbox.Outbox;
import io.dropship.gateway.service.OrderIntake;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Comparator;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Takes in a verified store webhook: records it durably under a delivery key (a redelivery finds the key
 * and changes nothing), ignores a stale retry, and acts on its topic, all in one transaction. The answer
 * says what happened; a valid delivery is never answered with an error, because WooCommerce disables a
 * webhook after five failures and Shopify would retry a payload that will never change.
 */
@ApplicationScoped
public class WebhookIntake {

    private static final Logger LOG = Logger.getLogger(WebhookIntake.class);

    public record Outcome(String outcome, String detail, UUID orderId) {
    }

    /** A verified delivery: whose store, what topic, under which key, about which resource, and when. */
    public record Delivery(StoreConnection store, String topic, String deliveryKey, String resourceId, Instant triggeredAt,
                           JsonNode body) {
    }

    private final Mutiny.SessionFactory sessions;
    private final OrderIntake orders;
    private final Validator validator;
    private final Outbox outbox;

    public WebhookIntake(Mutiny.SessionFactory sessions, OrderIntake orders, Validator validator, Outbox outbox) {
        this.sessions = sessions;
        this.orders = orders;
        this.validator = validator;
        this.outbox = outbox;
    }

    public Uni<Outcome> take(Delivery d) {
        return sessions.withTransaction(s -> s.createNativeQuery("insert into webhook_delivery (store_id, topic, delivery_key,"
                                + " resource_id, triggered_at, outcome, body, received_at)"
                                + " values (:store, :topic, :key, :resource, :triggered, 'RECEIVED', cast(cast(:body as text) as jsonb), now())"
                                + " on conflict (store_id, delivery_key) do nothing")
                        .setParameter("store", d.store().id).setParameter("topic", d.topic()).setParameter("key", d.deliveryKey())
                        .setParameter("resource", d.resourceId()).setParameter("triggered", d.triggeredAt())
                        .setParameter("body", d.body().toString()).executeUpdate()
                        .chain(rows -> rows == 0 ? Uni.createFrom().item(new Outcome("DUPLICATE", "already received", null))
                                : newer(s, d).chain(stale -> stale
                                        ? Uni.createFrom().item(new Outcome("STALE", "a newer delivery for this resource was already taken in", null))
                                        : act(s, d))
                                .call(outcome -> s.createNativeQuery("update webhook_delivery set outcome = :o, detail = :d"
                                                + " where store_id = :store and delivery_key = :key")
                                        .setParameter("o", outcome.outcome()).setParameter("d", outcome.detail())
                                        .setParameter("store", d.store().id).setParameter("key", d.deliveryKey()).executeUpdate())))
                .onFailure().recoverWithUni(e -> {
                    LOG.errorf(e, "webhook %s from store %s failed; recorded as FAILED", d.deliveryKey(), d.store().id);
                    return recordFailure(d, e);
                });
    }

    private static Uni<Boolean> newer(Mutiny.Session s, Delivery d) {
        if (d.triggeredAt() == null || d.resourceId() == null) {
            return Uni.createFrom().item(false);
        }
        return s.createNativeQuery("select count(*) from webhook_delivery where store_id = :store and topic = :topic"
                        + " and resource_id = :resource and triggered_at > :triggered", Long.class)
                .setParameter("store", d.store().id).setParameter("topic", d.topic()).setParameter("resource", d.resourceId())
                .setParameter("triggered", d.triggeredAt()).getSingleResult().map(n -> n > 0);
    }

    private Uni<Outcome> act(Mutiny.Session s, Delivery d) {
        StorePlatform platform = StorePlatform.valueOf(d.store().platform);
        switch (d.topic()) {
            case "orders/create", "orders/paid":
                if (!d.topic().equals(d.store().fulfilOn)) {
                    return Uni.createFrom().item(new Outcome("IGNORED", "this store starts fulfilment on " + d.store().fulfilOn, null));
                }
                return accept(d, StoreOrders.fromShopify(d.body()), platform, "shopify:");
            case "order.created", "order.updated":
                if ("cancelled".equals(d.body().path("status").asText())) {
                    return cancel(s, d, null);
                }
                if (!StoreOrders.wooReadyToFulfil(d.body())) {
                    return Uni.createFrom().item(new Outcome("IGNORED", "status " + d.body().path("status").asText()
                            + ": waiting for payment", null));
                }
                return accept(d, StoreOrders.fromWooCommerce(d.body()), platform, "woocommerce:");
            case "orders/cancelled":
                return cancel(s, d, d.body().path("cancel_reason").asText(null));
            case "app/uninstalled":
                return s.find(StoreConnection.class, d.store().id).invoke(c -> {
                    c.status = "UNINSTALLED";
                    c.updatedAt = Instant.now();
                }).replaceWith(new Outcome("STORE_UNINSTALLED", "the store stops sending and receiving", null));
            case "customers/data_request", "customers/redact", "shop/redact":
                return Uni.createFrom().item(new Outcome("PRIVACY_REQUEST_RECORDED", d.topic() + " is recorded", null));
            default:
                return Uni.createFrom().item(new Outcome("IGNORED", "topic " + d.topic() + " is not handled", null));
        }
    }

    /**
     * The store cancelled an order: if it is one we took in, OrderCancelled goes out in this transaction,
     * once; order-service then cancels what has not shipped. A cancellation of an order we never took in
     * (unpaid, or unmapped) is only recorded.
     */
    private Uni<Outcome> cancel(Mutiny.Session s, Delivery d, String reason) {
        String storeOrderId = d.body().path("id").asText("");
        return s.createSelectionQuery("from InboundOrder where storeId = :store and storeOrderId = :order", InboundOrder.class)
                .setParameter("store", d.store().id).setParameter("order", storeOrderId).getSingleResultOrNull()
                .chain(order -> {
                    if (order == null) {
                        return Uni.createFrom().item(new Outcome("CANCELLATION_RECORDED",
                                "store order " + storeOrderId + " was never taken in; nothing to cancel", null));
                    }
                    if (order.cancelledAt != null) {
                        return Uni.createFrom().item(new Outcome("ORDER_ALREADY_CANCELLED", order.orderNumber, order.id));
                    }
                    order.cancelledAt = Instant.now();
                    return outbox.publish(s, OrderCancelled.TOPIC, order.id.toString(), new OrderCancelled(order.id,
                                    order.orderNumber, order.retailerId, order.storeId, order.storeOrderId, "STORE", reason,
                                    order.cancelledAt))
                            .replaceWith(new Outcome("ORDER_CANCELLED", order.orderNumber, order.id));
                });
    }

    private Uni<Outcome> accept(Delivery d, NormalizedOrder order, StorePlatform platform, String keyPrefix) {
        Set<ConstraintViolation<NormalizedOrder>> violations = validator.validate(order);
        if (!violations.isEmpty()) {
            String detail = violations.stream().sorted(Comparator.comparing(v -> v.getPropertyPath().toString()))
                    .map(v -> v.getPropertyPath() + " " + v.getMessage()).collect(Collectors.joining("; "));
            return Uni.createFrom().item(new Outcome("INVALID", detail, null));
        }
        return orders.accept(d.store().retailerId, d.store().id, platform, keyPrefix + order.storeOrderId(), order)
                .map(a -> new Outcome(a.duplicate() ? "ORDER_ALREADY_TAKEN" : "ORDER_ACCEPTED", a.orderNumber(), a.orderId()));
    }

    private Uni<Outcome> recordFailure(Delivery d, Throwable e) {
        String detail = String.valueOf(e.getMessage());
        return sessions.withTransaction(s -> s.createNativeQuery("insert into webhook_delivery (store_id, topic, delivery_key,"
                                + " resource_id, triggered_at, outcome, detail, body, received_at)"
                                + " values (:store, :topic, :key, :resource, :triggered, 'FAILED', :detail,"
                                + " cast(cast(:body as text) as jsonb), now()) on conflict do nothing")
                        .setParameter("store", d.store().id).setParameter("topic", d.topic()).setParameter("key", d.deliveryKey())
                        .setParameter("resource", d.resourceId()).setParameter("triggered", d.triggeredAt())
                        .setParameter("detail", detail.length() > 1000 ? detail.substring(0, 1000) : detail)
                        .setParameter("body", d.body().toString()).executeUpdate())
                .replaceWith(new Outcome("FAILED", "recorded for retry", null));
    }
}
