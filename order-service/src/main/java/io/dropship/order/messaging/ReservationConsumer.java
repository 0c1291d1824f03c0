package io.dropship.order.messaging;

import io.dropship.order.messaging.events.ReservationEvents;
import io.dropship.order.service.ReservationOutcomes;
import io.dropship.platform.outbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

@ApplicationScoped
public class ReservationConsumer {

    private final Inbox inbox;
    private final ReservationOutcomes outcomes;

    public ReservationConsumer(Inbox inbox, ReservationOutcomes outcomes) {
        this.inbox = inbox;
        this.outcomes = outcomes;
    }

    public Uni<Void> reserved(ConsumerRecord<String, String> record) {
        return inbox.apply(
                "stock-reserved", record, ReservationEvents.StockReserved.class, (s, e, p) -> outcomes.reserved(s, p));
    }

    public Uni<Void> refused(ConsumerRecord<String, String> record) {
        return inbox.apply(
                "reservation-refused",
                record,
                ReservationEvents.ReservationRefused.class,
                (s, e, p) -> outcomes.refused(s, p));
    }
}
