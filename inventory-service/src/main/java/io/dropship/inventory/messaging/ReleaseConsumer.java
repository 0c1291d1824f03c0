package io.dropship.inventory.messaging;

import io.dropship.inventory.service.Reservations;
import io.dropship.platform.outbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A supplier order that will not ship gives its reserved stock back: cancelled by order-service, or rejected by its supplier. */
@ApplicationScoped
public class ReleaseConsumer {

    public record SupplierOrderRef(UUID supplierOrderId) {}

    private final Inbox inbox;
    private final Reservations reservations;

    public ReleaseConsumer(Inbox inbox, Reservations reservations) {
        this.inbox = inbox;
        this.reservations = reservations;
    }

    public Uni<Void> cancelled(ConsumerRecord<String, String> record) {
        return inbox.apply(
                "supplier-order-cancelled",
                record,
                SupplierOrderRef.class,
                (s, e, p) -> reservations.release(s, p.supplierOrderId(), "CANCELLED"));
    }

    public Uni<Void> rejected(ConsumerRecord<String, String> record) {
        return inbox.apply(
                "supplier-order-rejected",
                record,
                SupplierOrderRef.class,
                (s, e, p) -> reservations.release(s, p.supplierOrderId(), "REJECTED"));
    }
}
