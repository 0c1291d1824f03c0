package io.dropship.order.messaging;

import io.dropship.order.messaging.events.OrderPlaced;
import io.dropship.order.service.Orders;
import io.dropship.platform.outbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

@ApplicationScoped
public class OrderPlacedConsumer {

    static final String CHANNEL = "order-placed";

    private final Inbox inbox;
    private final Orders orders;

    public OrderPlacedConsumer(Inbox inbox, Orders orders) {
        this.inbox = inbox;
        this.orders = orders;
    }

    /** OrderPlaced (a store order taken in): the order and its routing, through {@link PerOrderConsumer}. */
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply(
                CHANNEL,
                record,
                OrderPlaced.class,
                (session, event, placed) -> orders.record(session, placed, event.occurredAt()));
    }
}
