package io.dropship.order.messaging;

import io.dropship.order.messaging.events.CancellationEvents;
import io.dropship.order.service.Cancellations;
import io.dropship.order.service.ReservationOutcomes;
import io.dropship.platform.outbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Orders cancelled at the store, and supplier orders their supplier rejected. */
@ApplicationScoped
public class CancellationConsumer {

    private final Inbox inbox;
    private final Cancellations cancellations;
    private final ReservationOutcomes outcomes;

    public CancellationConsumer(Inbox inbox, Cancellations cancellations, ReservationOutcomes outcomes) {
        this.inbox = inbox;
        this.cancellations = cancellations;
        this.outcomes = outcomes;
    }

    public Uni<Void> cancelled(ConsumerRecord<String, String> record) {
        return inbox.apply(
                "order-cancelled",
                record,
                CancellationEvents.OrderCancelled.class,
                (s, e, p) -> cancellations.cancel(s, p));
    }

    public Uni<Void> rejected(ConsumerRecord<String, String> record) {
        return inbox.apply(
                "supplier-order-rejected",
                record,
                CancellationEvents.SupplierOrderRejected.class,
                (s, e, p) -> outcomes.rejected(s, p));
    }
}
