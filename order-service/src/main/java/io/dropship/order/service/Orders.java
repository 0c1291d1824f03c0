package io.dropship.order.service;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.order.entity.OrderLine;
import io.dropship.order.entity.SupplierOrder;
import io.dropship.order.messaging.events.OrderPlaced;
import io.dropship.order.rest.OrderView;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/** The orders this service knows, and the queries over them. */
@ApplicationScoped
public class Orders {

    private final Mutiny.SessionFactory sessions;
    private final OrderRouter router;

    public Orders(Mutiny.SessionFactory sessions, OrderRouter router) {
        this.sessions = sessions;
        this.router = router;
    }

    /**
     * Records a placed order and routes it in the same transaction: ROUTED with its supplier orders, or
     * ON_HOLD with the reason. A second OrderPlaced for the same order id changes nothing.
     *
     * @param receivedAt when the platform took the store's webhook (the event's occurredAt), if known
     */
    public Uni<Void> record(Mutiny.Session session, OrderPlaced placed, Instant receivedAt) {
        if (placed.orderId() == null
                || placed.lines() == null
                || placed.lines().isEmpty()
                || placed.shippingAddress() == null
                || placed.totals() == null) {
            throw new PoisonMessageException("OrderPlaced lacks an order id, lines, address or totals");
        }
        return OrderLock.of(session, placed.orderId())
                .chain(() -> arrival(session, placed.orderId()))
                .chain(arrival -> {
                    if (arrival.known()) {
                        return Uni.createFrom().voidItem();
                    }
                    CustomerOrder order = new CustomerOrder();
                    order.id = placed.orderId();
                    order.orderNumber = placed.orderNumber();
                    order.retailerId = placed.retailerId();
                    order.storeId = placed.storeId();
                    order.storePlatform = placed.storePlatform();
                    order.storeOrderId = placed.storeOrderId();
                    order.currency = placed.currency();
                    order.customerEmail = placed.customerEmail();
                    order.status = OrderStatus.PENDING;
                    order.shippingAddress = placed.shippingAddress();
                    order.subtotal = placed.totals().subtotal();
                    order.shipping = placed.totals().shipping();
                    order.tax = placed.totals().tax();
                    order.discount = placed.totals().discount();
                    order.total = placed.totals().total();
                    order.placedAt = placed.placedAt();
                    order.receivedAt = receivedAt;
                    order.updatedAt = Instant.now();
                    for (OrderPlaced.Line l : placed.lines()) {
                        OrderLine line = new OrderLine();
                        line.order = order;
                        line.lineId = l.lineId();
                        line.listingId = l.listingId();
                        line.sku = l.sku();
                        line.title = l.title();
                        line.quantity = l.quantity();
                        line.retailPrice = l.retailPrice();
                        order.lines.add(line);
                    }
                    if (arrival.cancelled() != null) {
                        order.status = OrderStatus.CANCELLED;
                        order.cancellationReason = arrival.cancelled();
                        return session.persist(order);
                    }
                    return router.routeNew(session, order);
                });
    }

    /** Whether the order is known already, and why it was cancelled if a cancellation came before it. */
    private record Arrival(boolean known, String cancelled) {}

    /**
     * One statement for what an arriving order needs to know, read under the order's lock: whether an earlier delivery
     * recorded it, and the reason of a cancellation that came before it
     * (order_cancellation, which Cancellations writes whether or not the order is known).
     */
    private static Uni<Arrival> arrival(Mutiny.Session session, UUID orderId) {
        return session.createNativeQuery(
                        "select exists (select 1 from customer_order where id = :orderId),"
                                + " (select reason from order_cancellation where order_id = :orderId)",
                        Object[].class)
                .setParameter("orderId", orderId)
                .getSingleResult()
                .map(r -> new Arrival((Boolean) r[0], (String) r[1]));
    }

    /** The supplier orders of an order, oldest attempt first. */
    public Uni<List<SupplierOrder>> supplierOrders(UUID orderId) {
        return sessions.withSession(s -> s.createSelectionQuery(
                        "select distinct so from SupplierOrder so"
                                + " left join fetch so.lines where so.orderId = :o order by so.attempt, so.supplierId",
                        SupplierOrder.class)
                .setParameter("o", orderId)
                .getResultList());
    }

    /**
     * The order's payments as settlement-service reported them: CHARGED (the charge went through), HELD (the latest
     * attempt failed; the supplier orders it pays for wait unless credit let them go), ON_CREDIT (sent to suppliers
     * on the retailer's credit terms, not charged yet). A payment not reported yet is not listed.
     */
    public Uni<List<OrderView.Payment>> payments(UUID orderId) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select payment_id, credit_at, charged_at, failed_at, problem,"
                                        + " decline_code, next_attempt_at from order_payment where order_id = :orderId order by payment_id",
                                Object[].class)
                        .setParameter("orderId", orderId)
                        .getResultList())
                .map(rows -> rows.stream()
                        .map(r -> new OrderView.Payment(
                                (UUID) r[0],
                                r[2] != null ? "CHARGED" : r[3] != null ? "HELD" : "ON_CREDIT",
                                r[1] != null,
                                r[2] != null ? null : (String) r[4],
                                r[2] != null ? null : (String) r[5],
                                r[2] != null ? null : instant(r[6])))
                        .toList());
    }

    private static java.time.Instant instant(Object value) {
        return value == null
                ? null
                : value instanceof java.time.OffsetDateTime o ? o.toInstant() : (java.time.Instant) value;
    }

    /** The order with its lines, if it exists and the retailer scope (empty for staff) allows it. */
    public Uni<CustomerOrder> find(UUID id, Optional<String> retailerScope) {
        return sessions.withSession(s -> s.createSelectionQuery(
                                "from CustomerOrder o left join fetch o.lines where o.id = :id", CustomerOrder.class)
                        .setParameter("id", id)
                        .getSingleResultOrNull())
                .map(order -> {
                    if (order == null
                            || retailerScope
                                    .map(r -> !r.equals(order.retailerId))
                                    .orElse(false)) {
                        throw ProblemException.notFound("order " + id);
                    }
                    return order;
                });
    }

    /** Newest first; {@code cursor} continues after the page that answered it. */
    public Uni<Page<CustomerOrder>> list(
            Optional<String> retailerScope, Optional<OrderStatus> status, int limit, String cursor) {
        String[] after = Cursors.decode(cursor, 2);
        StringBuilder hql = new StringBuilder("from CustomerOrder o where 1 = 1");
        retailerScope.ifPresent(r -> hql.append(" and o.retailerId = :retailer"));
        status.ifPresent(s -> hql.append(" and o.status = :status"));
        if (after != null) {
            hql.append(" and (o.placedAt < :at or (o.placedAt = :at and o.id > :id))");
        }
        hql.append(" order by o.placedAt desc, o.id");
        return sessions.withSession(s -> {
                    var query = s.createSelectionQuery(hql.toString(), CustomerOrder.class);
                    retailerScope.ifPresent(r -> query.setParameter("retailer", r));
                    status.ifPresent(st -> query.setParameter("status", st));
                    if (after != null) {
                        query.setParameter("at", Cursors.part(after[0], Instant::parse))
                                .setParameter("id", Cursors.part(after[1], UUID::fromString));
                    }
                    return query.setMaxResults(limit + 1).getResultList();
                })
                .map(rows -> Page.of(rows, limit, o -> new Object[] {o.placedAt, o.id}));
    }
}
