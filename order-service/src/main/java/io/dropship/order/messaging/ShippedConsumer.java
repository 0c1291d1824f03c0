package io.dropship.order.messaging;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.entity.CustomerOrder;
import io.dropship.order.entity.SupplierOrder;
import io.dropship.order.messaging.events.OrderStatusChanged;
import io.dropship.order.messaging.events.Shipped;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Records a shipment's tracking on its supplier order, and moves the order to SHIPPED once every live
 * supplier order has shipped (PARTIALLY_SHIPPED until then).
 */
@ApplicationScoped
public class ShippedConsumer {

    private final Inbox inbox;
    private final io.dropship.platform.outbox.Outbox outbox;

    public ShippedConsumer(Inbox inbox, io.dropship.platform.outbox.Outbox outbox) {
        this.inbox = inbox;
        this.outbox = outbox;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("shipped", record, Shipped.class, (s, e, shipped) -> apply(s, shipped));
    }

    /** Delivered as order-service reads it. */
    public record Delivered(java.util.UUID supplierOrderId, java.util.UUID orderId) {}

    /** A supplier order reached the customer; the order is DELIVERED once every live supplier order has. */
    public Uni<Void> delivered(ConsumerRecord<String, String> record) {
        return inbox.apply("delivered", record, Delivered.class, (s, e, d) -> {
            if (d.supplierOrderId() == null) {
                throw new PoisonMessageException("Delivered names no supplier order");
            }
            return io.dropship.order.service.OrderLock.ofSupplierOrder(s, d.supplierOrderId())
                    .chain(() -> s.find(SupplierOrder.class, d.supplierOrderId()))
                    .chain(so -> {
                        if (so == null) {
                            throw new PoisonMessageException(
                                    "Delivered for unknown supplier order " + d.supplierOrderId());
                        }
                        so.status = SupplierOrder.Status.DELIVERED;
                        so.updatedAt = Instant.now();
                        return s.flush()
                                .chain(() -> s.createSelectionQuery(
                                                "from SupplierOrder where orderId = :o", SupplierOrder.class)
                                        .setParameter("o", so.orderId)
                                        .getResultList())
                                .chain(all -> s.find(CustomerOrder.class, so.orderId)
                                        .chain(order -> {
                                            boolean allDelivered = all.stream()
                                                    .filter(x -> live(x.status))
                                                    .allMatch(x -> x.status == SupplierOrder.Status.DELIVERED);
                                            if (allDelivered
                                                    && (order.status == OrderStatus.SHIPPED
                                                            || order.status == OrderStatus.PARTIALLY_SHIPPED)) {
                                                OrderStatus previous = order.status;
                                                order.status = OrderStatus.DELIVERED;
                                                order.updatedAt = Instant.now();
                                                return outbox.publish(
                                                        s,
                                                        OrderStatusChanged.TOPIC,
                                                        order.id.toString(),
                                                        OrderStatusChanged.of(
                                                                order,
                                                                previous,
                                                                "every supplier order was delivered",
                                                                "FULFILLMENT",
                                                                false,
                                                                null));
                                            }
                                            return Uni.createFrom().nullItem();
                                        }))
                                .replaceWithVoid();
                    });
        });
    }

    private static boolean live(SupplierOrder.Status status) {
        return status != SupplierOrder.Status.REFUSED
                && status != SupplierOrder.Status.REJECTED
                && status != SupplierOrder.Status.CANCELLED;
    }

    static Uni<Void> apply(Mutiny.Session s, Shipped shipped) {
        if (shipped.supplierOrderId() == null || shipped.trackingNumber() == null) {
            throw new PoisonMessageException("Shipped names no supplier order or tracking number");
        }
        return io.dropship.order.service.OrderLock.ofSupplierOrder(s, shipped.supplierOrderId())
                .chain(() -> s.find(SupplierOrder.class, shipped.supplierOrderId()))
                .chain(so -> {
                    if (so == null) {
                        throw new PoisonMessageException(
                                "Shipped for unknown supplier order " + shipped.supplierOrderId());
                    }
                    if (so.status != SupplierOrder.Status.DELIVERED) {
                        so.status = SupplierOrder.Status.SHIPPED;
                    }
                    so.carrier = shipped.carrier();
                    so.trackingNumber = shipped.trackingNumber();
                    so.trackingUrl = shipped.trackingUrl();
                    so.shippedAt = shipped.shippedAt();
                    so.updatedAt = Instant.now();
                    return s.flush()
                            .chain(() -> s.createSelectionQuery(
                                            "from SupplierOrder where orderId = :o", SupplierOrder.class)
                                    .setParameter("o", so.orderId)
                                    .getResultList())
                            .chain(all -> s.find(CustomerOrder.class, so.orderId)
                                    .invoke(order -> {
                                        if (order.status == OrderStatus.CANCELLED
                                                || order.status == OrderStatus.DELIVERED) {
                                            return;
                                        }
                                        order.status = allShipped(all) && order.status != OrderStatus.ON_HOLD
                                                ? OrderStatus.SHIPPED
                                                : OrderStatus.PARTIALLY_SHIPPED;
                                        order.updatedAt = Instant.now();
                                    }))
                            .replaceWithVoid();
                });
    }

    private static boolean allShipped(List<SupplierOrder> all) {
        return all.stream()
                .filter(x -> live(x.status))
                .allMatch(x -> x.status == SupplierOrder.Status.SHIPPED || x.status == SupplierOrder.Status.DELIVERED);
    }
}
