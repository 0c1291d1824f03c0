package io.dropship.gateway.messaging;

import io.dropship.gateway.messaging.events.Shipped;
import io.dropship.gateway.stores.StorePushes;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A shipment becomes the tracking call its store is owed, recorded once, made after the commit by the StorePushWorker. */
@ApplicationScoped
public class ShippedConsumer {

    private final Inbox inbox;
    private final StorePushes pushes;

    public ShippedConsumer(Inbox inbox, StorePushes pushes) {
        this.inbox = inbox;
        this.pushes = pushes;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("shipped", record, Shipped.class, (s, e, shipped) -> {
                    if (shipped.shipmentId() == null
                            || shipped.orderId() == null
                            || shipped.trackingNumber() == null
                            || shipped.storeOrderId() == null) {
                        throw new PoisonMessageException(
                                "Shipped without shipment id, order id, store order id or tracking number");
                    }
                    return pushes.recordShipment(s, shipped);
                })
                .invoke(pushes::workCommitted);
    }
}
