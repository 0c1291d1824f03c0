package io.dropship.order.service;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.order.entity.SupplierOrder;
import io.dropship.order.messaging.events.CancellationEvents;
import io.dropship.order.messaging.events.OrderStatusChanged;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.sql.SqlValues;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * An order cancelled at the store: every supplier order that has not shipped is CANCELLED and
 * SupplierOrderCancelled tells inventory to release its stock and fulfillment to withdraw it from the
 * supplier (or ask the supplier to stop it). What has shipped stays shipped. A cancellation that arrives
 * before its order is remembered, and the order is cancelled the moment it is recorded.
 */
@ApplicationScoped
public class Cancellations {

    private final Outbox outbox;

    public Cancellations(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> cancel(Mutiny.Session s, CancellationEvents.OrderCancelled event) {
        if (event.orderId() == null) {
            throw new PoisonMessageException("OrderCancelled names no order");
        }
        String reason = "cancelled by the "
                + (event.source() == null ? "store" : event.source().toLowerCase())
                + (event.reason() == null || event.reason().isBlank() ? "" : ": " + event.reason());
        return OrderLock.of(s, event.orderId())
                .chain(() -> s.createNativeQuery(
                                "insert into order_cancellation"
                                        + " (order_id, source, reason, cancelled_at) values (:orderId, :source, :reason, :at) on conflict do nothing")
                        .setParameter("orderId", event.orderId())
                        .setParameter("source", event.source() == null ? "STORE" : event.source())
                        .setParameter("reason", reason)
                        .setParameter("at", event.cancelledAt() == null ? Instant.now() : event.cancelledAt())
                        .executeUpdate())
                .chain(() -> s.find(CustomerOrder.class, event.orderId()))
                .chain(order -> order == null
                        ? Uni.createFrom().voidItem()
                        : apply(s, order, reason, event.source() == null ? "STORE" : event.source(), false, null));
    }

    /**
     * A retailer (its own order) or a support agent cancels through the API: the same as a store
     * cancellation, in one transaction. A shipped order cannot be cancelled (409); a cancelled one answers as is.
     */
    public Uni<CustomerOrder> cancelByRequest(
            Mutiny.SessionFactory sessions,
            UUID orderId,
            java.util.Optional<String> retailerScope,
            String source,
            String reason) {
        return cancelByRequest(sessions, orderId, retailerScope, source, source, reason);
    }

    /** As above, recording who cancelled (their name) among the order's actions (GET /api/orders/{id}/actions). */
    public Uni<CustomerOrder> cancelByRequest(
            Mutiny.SessionFactory sessions,
            UUID orderId,
            java.util.Optional<String> retailerScope,
            String source,
            String actor,
            String reason) {
        return cancelByRequest(sessions, orderId, retailerScope, source, actor, reason, false, null);
    }

    /**
     * As above; with {@code tellStore} the order is cancelled at its store too (integration-gateway hears it from
     * OrderStatusChanged), the store's customer reading {@code customerMessage}.
     */
    public Uni<CustomerOrder> cancelByRequest(
            Mutiny.SessionFactory sessions,
            UUID orderId,
            java.util.Optional<String> retailerScope,
            String source,
            String actor,
            String reason,
            boolean tellStore,
            String customerMessage) {
        String why = "cancelled by " + (source.equals("RETAILER") ? "the retailer" : "support")
                + (reason == null || reason.isBlank() ? "" : ": " + reason);
        return sessions.withTransaction(s -> OrderLock.of(s, orderId)
                .chain(() -> s.find(CustomerOrder.class, orderId))
                .chain(order -> {
                    if (order == null
                            || retailerScope
                                    .filter(r -> !r.equals(order.retailerId))
                                    .isPresent()) {
                        throw io.dropship.platform.web.ProblemException.notFound("order " + orderId);
                    }
                    if (order.status == OrderStatus.CANCELLED) {
                        return Uni.createFrom().item(order);
                    }
                    if (order.status == OrderStatus.SHIPPED || order.status == OrderStatus.DELIVERED) {
                        throw io.dropship.platform.web.ProblemException.conflict("order " + order.orderNumber + " is "
                                + order.status + "; a shipped order is returned, not cancelled");
                    }
                    return s.createNativeQuery("insert into order_cancellation (order_id, source, reason, cancelled_at)"
                                    + " values (:orderId, :source, :reason, now()) on conflict do nothing")
                            .setParameter("orderId", orderId)
                            .setParameter("source", source)
                            .setParameter("reason", why)
                            .executeUpdate()
                            .chain(() -> apply(s, order, why, source, tellStore, customerMessage))
                            .chain(() -> s.createNativeQuery(
                                            "insert into order_action (order_id, line_id, action, detail, actor_role,"
                                                    + " actor, reason, outcome, at) values (:orderId, null, 'CANCEL', 'the whole order', :role, :who,"
                                                    + " :why, :outcome, now())")
                                    .setParameter("orderId", orderId)
                                    .setParameter("role", source)
                                    .setParameter("who", actor)
                                    .setParameter(
                                            "why", reason == null || reason.isBlank() ? "(no reason given)" : reason)
                                    .setParameter("outcome", order.status.name())
                                    .executeUpdate())
                            .replaceWith(order);
                }));
    }

    /**
     * The retailer's held-order expiry: cancels the order if it is still ON_HOLD and went on hold more than
     * {@code days} days ago, has it cancelled at its store with the retailer's words for the customer, and records
     * the action. Answers whether it cancelled (false: the order moved on, or another instance got there first).
     */
    public Uni<Boolean> expire(Mutiny.SessionFactory sessions, UUID orderId, int days, String customerMessage) {
        return sessions.withTransaction(s -> OrderLock.of(s, orderId)
                .chain(() -> s.find(CustomerOrder.class, orderId))
                .chain(order -> {
                    if (order == null
                            || order.status != OrderStatus.ON_HOLD
                            || order.heldAt == null
                            || order.heldAt.isAfter(Instant.now().minus(java.time.Duration.ofDays(days)))) {
                        return Uni.createFrom().item(false);
                    }
                    String why = SqlValues.fit(
                            "held longer than the retailer's " + days + (days == 1 ? " day" : " days")
                                    + (order.holdReason == null ? "" : ": " + order.holdReason),
                            500);
                    return s.createNativeQuery("insert into order_cancellation (order_id, source, reason, cancelled_at)"
                                    + " values (:orderId, 'EXPIRY', :reason, now()) on conflict do nothing")
                            .setParameter("orderId", orderId)
                            .setParameter("reason", why)
                            .executeUpdate()
                            .chain(() -> apply(s, order, why, "EXPIRY", true, customerMessage))
                            .chain(() -> s.createNativeQuery(
                                            "insert into order_action (order_id, line_id, action, detail, actor_role,"
                                                    + " actor, reason, outcome, at) values (:orderId, null, 'CANCEL', 'the whole order, at its store too',"
                                                    + " 'EXPIRY', 'held-order expiry', :why, 'CANCELLED', now())")
                                    .setParameter("orderId", orderId)
                                    .setParameter("why", why)
                                    .executeUpdate())
                            .replaceWith(true);
                }));
    }

    /**
     * Cancels what of the order has not shipped and announces it (OrderStatusChanged): {@code source} says who,
     * {@code tellStore} whether integration-gateway cancels the order at its store.
     */
    Uni<Void> apply(
            Mutiny.Session s,
            CustomerOrder order,
            String reason,
            String source,
            boolean tellStore,
            String customerMessage) {
        if (order.status == OrderStatus.CANCELLED
                || order.status == OrderStatus.SHIPPED
                || order.status == OrderStatus.DELIVERED) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        OrderStatus previous = order.status;
        order.status = OrderStatus.CANCELLED;
        order.cancellationReason = reason;
        order.heldAt = null;
        order.updatedAt = now;
        return outbox.publish(
                        s,
                        OrderStatusChanged.TOPIC,
                        order.id.toString(),
                        OrderStatusChanged.of(order, previous, reason, source, tellStore, customerMessage))
                .chain(() -> s.createSelectionQuery(
                                "from SupplierOrder where orderId = :orderId and status in (:open)",
                                SupplierOrder.class)
                        .setParameter("orderId", order.id)
                        .setParameter("open", List.of(SupplierOrder.Status.ROUTED, SupplierOrder.Status.RESERVED))
                        .getResultList()
                        .chain(open -> open.isEmpty()
                                ? Uni.createFrom().voidItem()
                                : Multi.createFrom()
                                        .iterable(open)
                                        .onItem()
                                        .transformToUniAndConcatenate(so -> {
                                            so.status = SupplierOrder.Status.CANCELLED;
                                            so.updatedAt = now;
                                            return outbox.publish(
                                                    s,
                                                    CancellationEvents.SupplierOrderCancelled.TOPIC,
                                                    order.id.toString(),
                                                    new CancellationEvents.SupplierOrderCancelled(
                                                            so.id, order.id, so.supplierId, reason, now));
                                        })
                                        .collect()
                                        .last()
                                        .replaceWithVoid()));
    }
}
