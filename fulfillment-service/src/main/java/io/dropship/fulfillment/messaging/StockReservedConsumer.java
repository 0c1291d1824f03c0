package io.dropship.fulfillment.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.fulfillment.service.Dispatch;
import io.dropship.platform.outbox.Inbox;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A reserved supplier order, and only a reserved one, is dispatched to its supplier. */
@ApplicationScoped
public class StockReservedConsumer {

    private final Inbox inbox;
    private final Dispatch dispatch;

    public StockReservedConsumer(Inbox inbox, Dispatch dispatch) {
        this.inbox = inbox;
        this.dispatch = dispatch;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("stock-reserved", record, JsonNode.class, (s, e, payload) -> dispatch.receive(s, payload));
    }
}
