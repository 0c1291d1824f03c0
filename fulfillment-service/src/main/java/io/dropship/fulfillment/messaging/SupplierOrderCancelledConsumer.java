package io.dropship.fulfillment.messaging;

import io.dropship.fulfillment.service.Dispatch;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A cancelled supplier order is withdrawn from its supplier, or the supplier is asked to stop it. */
@ApplicationScoped
public class SupplierOrderCancelledConsumer {

    public record SupplierOrderCancelled(UUID supplierOrderId, UUID orderId, String supplierId, String reason) {}

    private final Inbox inbox;
    private final Dispatch dispatch;

    public SupplierOrderCancelledConsumer(Inbox inbox, Dispatch dispatch) {
        this.inbox = inbox;
        this.dispatch = dispatch;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("supplier-order-cancelled", record, SupplierOrderCancelled.class, (s, e, c) -> {
            if (c.supplierOrderId() == null) {
                throw new PoisonMessageException("SupplierOrderCancelled names no supplier order");
            }
            return dispatch.cancel(s, c.supplierOrderId(), c.reason());
        });
    }
}
