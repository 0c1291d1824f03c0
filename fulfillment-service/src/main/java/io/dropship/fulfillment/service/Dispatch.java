package io.dropship.fulfillment.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.fulfillment.domain.SupplierOrderStatus;
import io.dropship.fulfillment.domain.TransitionRefused;
import io.dropship.fulfillment.entity.Shipment;
import io.dropship.fulfillment.entity.SupplierOrder;
import io.dropship.fulfillment.messaging.events.Delivered;
import io.dropship.fulfillment.messaging.events.Shipped;
import io.dropship.fulfillment.messaging.events.SupplierOrderRejected;
import io.dropship.platform.outbox.Outbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.dropship.platform.outbox.TimeOrderedIds;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.hibernate.LockMode;
import org.hibernate.reactive.mutiny.Mutiny;

/** A supplier order's life at its supplier: received once reserved, accepted or rejected, shipped, delivered; or cancelled. */
@ApplicationScoped
public class Dispatch {

    public record ShipRequest(String carrier, String trackingNumber, String trackingUrl) {}

    private final Mutiny.SessionFactory sessions;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final CallbackDeliveries callbacks;

    public Dispatch(Mutiny.SessionFactory sessions, Outbox outbox, ObjectMapper mapper, CallbackDeliveries callbacks) {
        this.sessions = sessions;
        this.outbox = outbox;
        this.mapper = mapper;
        this.callbacks = callbacks;
    }

    /**
     * Takes in a reserved supplier order (from StockReserved); a second delivery changes nothing. It reaches its
     * supplier (RECEIVED, and the supplier's callback) only if its payment was cleared already; otherwise it waits,
     * AWAITING_PAYMENT, unseen by the supplier, for PaymentCleared.
     */
    public Uni<Void> receive(Mutiny.Session s, JsonNode reserved) {
        if (!reserved.hasNonNull("supplierOrderId")
                || !reserved.hasNonNull("orderId")
                || !reserved.hasNonNull("supplierId")
                || !reserved.path("lines").isArray()
                || !reserved.hasNonNull("shippingAddress")) {
            throw new PoisonMessageException(
                    "StockReserved lacks a supplier order id, order id, supplier, lines or address");
        }
        UUID id = UUID.fromString(reserved.get("supplierOrderId").asText());
        // One statement under the lock: whether it is here already, cancelled before it came, or paid for.
        return SupplierOrderLock.of(s, id)
                .chain(() -> s.createNativeQuery(
                                "select (select count(*) from supplier_order where id = :id),"
                                        + " (select count(*) from cancelled_supplier_order where supplier_order_id = :id),"
                                        + " (select count(*) from cleared_supplier_order where supplier_order_id = :id)",
                                Object[].class)
                        .setParameter("id", id)
                        .getSingleResult()
                        .chain(known -> {
                            if (((Number) known[0]).longValue() > 0 || ((Number) known[1]).longValue() > 0) {
                                return Uni.createFrom().voidItem();
                            }
                            boolean paid = ((Number) known[2]).longValue() > 0;
                            Instant now = Instant.now();
                            SupplierOrder so = new SupplierOrder();
                            so.id = id;
                            so.orderId = UUID.fromString(reserved.get("orderId").asText());
                            so.orderNumber = reserved.path("orderNumber").asText("");
                            so.supplierId = reserved.get("supplierId").asText();
                            so.retailerId = reserved.path("retailerId").asText("");
                            so.storeOrderId = reserved.path("storeOrderId").asText("");
                            so.status = paid ? SupplierOrderStatus.RECEIVED : SupplierOrderStatus.AWAITING_PAYMENT;
                            so.currency = reserved.path("currency").asText("USD");
                            so.lines = reserved.get("lines").toString();
                            so.shippingAddress = reserved.get("shippingAddress").toString();
                            so.receivedAt = now;
                            so.updatedAt = now;
                            so.releasedAt = paid ? now : null;
                            return s.persist(so)
                                    .chain(() -> paid
                                            ? callbacks.record(s, so, CallbackDeliveries.RECEIVED)
                                            : Uni.createFrom().voidItem());
                        }));
    }

    /**
     * settlement-service cleared the payment of these supplier orders (PaymentCleared): each one waiting for it goes to
     * its supplier now (RECEIVED, and the supplier's callback); one not here yet will when its StockReserved comes.
     * A second delivery changes nothing.
     */
    public Uni<Void> paymentCleared(Mutiny.Session s, List<UUID> supplierOrderIds, UUID paymentId, String basis) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (UUID id : supplierOrderIds.stream().sorted().toList()) {
            chain = chain.chain(() -> SupplierOrderLock.of(s, id))
                    .chain(() -> s.createNativeQuery(
                                    "insert into cleared_supplier_order (supplier_order_id, payment_id,"
                                            + " basis, cleared_at) values (:id, :p, :basis, now()) on conflict do nothing")
                            .setParameter("id", id)
                            .setParameter("p", paymentId)
                            .setParameter("basis", basis)
                            .executeUpdate())
                    .chain(() -> s.find(SupplierOrder.class, id, LockMode.PESSIMISTIC_WRITE))
                    .chain(so -> so != null && so.release(Instant.now())
                            ? callbacks.record(s, so, CallbackDeliveries.RECEIVED)
                            : Uni.createFrom().voidItem());
        }
        return chain;
    }

    /**
     * The retailer's payment for these supplier orders failed (PaymentFailed): those still waiting for it are held
     * (PAYMENT_HELD, with the reason) and stay away from their suppliers until the payment is cleared. One already
     * with its supplier (sent on credit terms) is not taken back.
     */
    public Uni<Void> paymentFailed(Mutiny.Session s, List<UUID> supplierOrderIds, String reason) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        String why = "the retailer's payment failed: " + (reason == null ? "no reason given" : reason);
        for (UUID id : supplierOrderIds.stream().sorted().toList()) {
            chain = chain.chain(() -> SupplierOrderLock.of(s, id))
                    .chain(() -> s.find(SupplierOrder.class, id, LockMode.PESSIMISTIC_WRITE))
                    .invoke(so -> {
                        if (so != null) {
                            so.holdForPayment(why, Instant.now());
                        }
                    })
                    .replaceWithVoid();
        }
        return chain;
    }

    /**
     * The supplier will not fulfil this order: it is REJECTED and SupplierOrderRejected tells inventory to
     * release the stock and order-service to route the lines elsewhere. Rejecting twice answers the same.
     */
    public Uni<SupplierOrder> reject(String supplierId, UUID id, String reason) {
        return supplierCommand(s -> own(s, supplierId, id).chain(so -> {
            Instant now = Instant.now();
            if (!so.reject(reason, now)) {
                return Uni.createFrom().item(so);
            }
            return outbox.publish(
                            s,
                            SupplierOrderRejected.TOPIC,
                            so.orderId.toString(),
                            new SupplierOrderRejected(so.id, so.orderId, so.supplierId, reason, lines(so), now))
                    .replaceWith(so);
        }));
    }

    /**
     * order-service cancelled the supplier order: a RECEIVED one is withdrawn at once; an ACCEPTED one may
     * already be packed, so the supplier is asked (CANCEL_REQUESTED) and confirms or ships. One not here yet
     * is remembered, so that it never reaches the supplier.
     */
    public Uni<Void> cancel(Mutiny.Session s, UUID id, String reason) {
        return SupplierOrderLock.of(s, id)
                .chain(() -> s.find(SupplierOrder.class, id, LockMode.PESSIMISTIC_WRITE))
                .chain(so -> {
                    if (so == null) {
                        return s.createNativeQuery(
                                        "insert into cancelled_supplier_order (supplier_order_id, reason, cancelled_at)"
                                                + " values (:id, :reason, now()) on conflict do nothing")
                                .setParameter("id", id)
                                .setParameter("reason", reason)
                                .executeUpdate()
                                .replaceWithVoid();
                    }
                    return switch (so.cancel(reason, Instant.now())) {
                        case WITHDRAWN -> callbacks.record(s, so, CallbackDeliveries.CANCELLED);
                        case ASKED -> callbacks.record(s, so, CallbackDeliveries.CANCEL_REQUESTED);
                        case WITHDRAWN_UNSEEN, NONE -> Uni.createFrom().voidItem();
                    };
                });
    }

    /** The supplier confirms it stopped an order it was asked to cancel. */
    public Uni<SupplierOrder> confirmCancellation(String supplierId, UUID id) {
        return supplierCommand(s -> own(s, supplierId, id).chain(so -> {
            if (!so.confirmCancellation(Instant.now())) {
                return Uni.createFrom().item(so);
            }
            return io.dropship.platform.outbox.OrderActivity.publish(
                            outbox,
                            s,
                            so.orderId,
                            "fulfillment-service",
                            "SUPPLIER_STOPPED",
                            so.supplierId + " confirmed it stopped supplier order " + TimeOrderedIds.shortForm(so.id),
                            java.util.Map.of("supplierOrderId", so.id.toString()))
                    .replaceWith(so);
        }));
    }

    /** The parcel arrived: DELIVERED, and Delivered tells order-service. Marking it twice answers the same. */
    public Uni<SupplierOrder> deliver(String supplierId, UUID id) {
        return supplierCommand(s -> own(s, supplierId, id).chain(so -> {
            if (!so.deliver(Instant.now())) {
                return Uni.createFrom().item(so);
            }
            return s.createSelectionQuery("from Shipment where supplierOrderId = :supplierOrderId", Shipment.class)
                    .setParameter("supplierOrderId", id)
                    .getSingleResultOrNull()
                    .chain(shipment -> outbox.publish(
                            s,
                            Delivered.TOPIC,
                            so.orderId.toString(),
                            new Delivered(
                                    so.id,
                                    so.orderId,
                                    so.supplierId,
                                    shipment == null ? null : shipment.id,
                                    so.deliveredAt)))
                    .replaceWith(so);
        }));
    }

    /** The supplier takes the order on; the order's timeline hears of it (OrderActivity). Accepting again changes nothing. */
    public Uni<SupplierOrder> accept(String supplierId, UUID id) {
        return supplierCommand(s -> own(s, supplierId, id).chain(so -> {
            if (!so.accept(Instant.now())) {
                return Uni.createFrom().item(so);
            }
            return io.dropship.platform.outbox.OrderActivity.publish(
                            outbox,
                            s,
                            so.orderId,
                            "fulfillment-service",
                            "SUPPLIER_ACCEPTED",
                            so.supplierId + " accepted supplier order " + TimeOrderedIds.shortForm(so.id),
                            java.util.Map.of("supplierOrderId", so.id.toString()))
                    .replaceWith(so);
        }));
    }

    /**
     * Ships the whole supplier order and publishes Shipped, once: repeating the call with the same tracking
     * number answers the same shipment; a different one is a conflict.
     */
    public Uni<Shipment> ship(String supplierId, UUID id, ShipRequest request) {
        return supplierCommand(s -> own(s, supplierId, id)
                .chain(so -> s.createSelectionQuery(
                                "from Shipment where supplierOrderId = :supplierOrderId", Shipment.class)
                        .setParameter("supplierOrderId", id)
                        .getSingleResultOrNull()
                        .chain(existing -> {
                            if (existing != null) {
                                if (!existing.trackingNumber.equals(request.trackingNumber())) {
                                    throw ProblemException.conflict("supplier order " + id
                                            + " already shipped with tracking " + existing.trackingNumber);
                                }
                                return Uni.createFrom().item(existing);
                            }
                            Instant now = Instant.now();
                            so.ship(now);
                            Shipment shipment = new Shipment();
                            shipment.id = UUID.randomUUID();
                            shipment.supplierOrderId = id;
                            shipment.carrier = request.carrier();
                            shipment.trackingNumber = request.trackingNumber();
                            shipment.trackingUrl = request.trackingUrl();
                            shipment.shippedAt = now;
                            return s.persist(shipment)
                                    .chain(() -> outbox.publish(
                                            s, Shipped.TOPIC, so.orderId.toString(), shipped(so, shipment)))
                                    .replaceWith(shipment);
                        })));
    }

    /** A supplier's command in one transaction; a move the order's state does not allow is answered 409. */
    private <T> Uni<T> supplierCommand(java.util.function.Function<Mutiny.Session, Uni<T>> work) {
        return sessions.withTransaction(work)
                .onFailure(TransitionRefused.class)
                .transform(e -> ProblemException.conflict(e.getMessage()));
    }

    private List<Shipped.Line> lines(SupplierOrder so) {
        List<Shipped.Line> lines = new ArrayList<>();
        try {
            for (JsonNode l : mapper.readTree(so.lines)) {
                lines.add(new Shipped.Line(
                        l.path("lineId").asText(),
                        l.path("sku").asText(),
                        l.path("quantity").asInt()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("stored lines of supplier order " + so.id + " are not JSON", e);
        }
        return lines;
    }

    private Shipped shipped(SupplierOrder so, Shipment shipment) {
        List<Shipped.Line> lines = lines(so);
        return new Shipped(
                shipment.id,
                so.id,
                so.orderId,
                so.supplierId,
                so.retailerId,
                so.storeOrderId,
                shipment.carrier,
                shipment.trackingNumber,
                shipment.trackingUrl,
                lines,
                shipment.shippedAt);
    }

    /**
     * The supplier's order, locked for the rest of the transaction (SELECT ... FOR UPDATE): of two conflicting
     * commands on it (reject and ship, say), the second waits for the first, then sees its outcome and is refused.
     * One still waiting for its payment does not exist for its supplier.
     */
    private static Uni<SupplierOrder> own(Mutiny.Session s, String supplierId, UUID id) {
        return s.find(SupplierOrder.class, id, LockMode.PESSIMISTIC_WRITE).map(so -> {
            if (so == null || !so.supplierId.equals(supplierId) || so.releasedAt == null) {
                throw ProblemException.notFound("supplier order " + id);
            }
            return so;
        });
    }
}
