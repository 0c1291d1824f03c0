package io.dropship.inventory.messaging;

import io.dropship.inventory.service.Reservations;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Returned units their supplier received and can sell again go back into its stock. */
@ApplicationScoped
public class ReturnUpdatedConsumer {

    /** ReturnUpdated as inventory reads it. */
    public record ReturnUpdated(
            UUID returnId, UUID supplierOrderId, String supplierId, String status, Boolean sellable, List<Line> lines) {
        public record Line(String sku, Integer quantity) {}
    }

    private final Inbox inbox;
    private final Reservations reservations;

    public ReturnUpdatedConsumer(Inbox inbox, Reservations reservations) {
        this.inbox = inbox;
        this.reservations = reservations;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("return-updated", record, ReturnUpdated.class, (s, e, r) -> {
            if (!"RECEIVED".equals(r.status()) || !Boolean.TRUE.equals(r.sellable())) {
                return Uni.createFrom().voidItem();
            }
            if (r.returnId() == null || r.supplierId() == null || r.lines() == null) {
                throw new PoisonMessageException("ReturnUpdated without its return, supplier or lines");
            }
            return reservations.returned(
                    s,
                    r.supplierOrderId(),
                    r.supplierId(),
                    r.lines().stream()
                            .filter(l -> l.sku() != null && l.quantity() != null && l.quantity() > 0)
                            .map(l -> new Object[] {l.sku(), l.quantity()})
                            .toList());
        });
    }
}
