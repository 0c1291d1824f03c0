package io.dropship.inventory.messaging;

import io.dropship.inventory.service.Reservations;
import io.dropship.platform.outbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Shipped stock leaves the shelf: the reservation turns into a shipment. */
@ApplicationScoped
public class ShippedConsumer {

    public record Shipped(UUID supplierOrderId) {}

    private final Inbox inbox;
    private final Reservations reservations;

    public ShippedConsumer(Inbox inbox, Reservations reservations) {
        this.inbox = inbox;
        this.reservations = reservations;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("shipped", record, Shipped.class, (s, e, p) -> reservations.ship(s, p.supplierOrderId()));
    }
}
