package io.dropship.order.messaging;

import io.dropship.order.domain.OrderStatus;
import io.dropship.order.repository.CustomerOrder;
import io.dropship.order.repository.SupplierOrder;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

import java.time.Instant;
import java.util.List;

/**
 * Records a shipment's tracking on its supplier order, and moves the order to SHIPPED once every live
 * supplier order has shipped (PARTIALLY_SHIPPED until then).
 */
@ApplicationScoped
public class ShippedConsumer {

    private final Inbox inbox;

    public ShippedConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    @Incoming("shipped")
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("order-service.shipped", record, Shipped.class, (s, e, shipped) -> apply(s, shipped));
    }

    static Uni<Void> apply(Mutiny.Session s, Shipped shipped) {
        if (shipped.supplierOrderId() == null || shipped.trackingNumber() == null) {
            throw new PoisonMessageException("Shipped names no supplier order or tracking number");
        }
        return s.find(SupplierOrder.class, shipped.supplierOrderId()).chain(so -> {
            if (so == null) {
                throw new PoisonMessageException("Shipped for unknown supplier order " + shipped.supplierOrderId());
            }
            so.status = SupplierOrder.Status.SHIPPED;
            so.carrier = shipped.carrier();
            so.trackingNumber = shipped.trackingNumber();
            so.trackingUrl = shipped.trackingUrl();
            so.shippedAt = shipped.shippedAt();
            so.updatedAt = Instant.now();
            return s.flush().chain(() -> s.createSelectionQuery("from SupplierOrder where orderId = :o", SupplierOrder.class)
                            .setParameter("o", so.orderId).getResultList())
                    .chain(all -> s.find(CustomerOrder.class, so.orderId).invoke(order -> {
                        if (order.status == OrderStatus.CANCELLED || order.status == OrderStatus.DELIVERED) {
                            return;
                        }
                        order.status = allShipped(all) && order.status != OrderStatus.ON_HOLD
                                ? OrderStatus.SHIPPED : OrderStatus.PARTIALLY_SHIPPED;
                        order.updatedAt = Instant.now();
                    }))
                    .replaceWithVoid();
        });
    }

    private static boolean allShipped(List<SupplierOrder> all) {
        return all.stream().filter(x -> x.status != SupplierOrder.Status.REFUSED && x.status != SupplierOrder.Status.CANCELLED)
                .allMatch(x -> x.status == SupplierOrder.Status.SHIPPED || x.status == SupplierOrder.Status.DELIVERED);
    }
}
