package io.dropship.order.messaging;

import io.dropship.order.messaging.events.CatalogEvents;
import io.dropship.order.service.HeldOrders;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Inventory's stock levels, read for one thing: a supplier product with stock available again lets the held orders a
 * refusal for want of it stopped be routed again (HeldOrders). Order-service keeps no stock of its own.
 */
@ApplicationScoped
public class StockChangedConsumer {

    private final Inbox inbox;
    private final HeldOrders held;

    public StockChangedConsumer(Inbox inbox, HeldOrders held) {
        this.inbox = inbox;
        this.held = held;
    }

    @Incoming("stock-changed")
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("stock-changed", record, CatalogEvents.StockChanged.class, (s, e, p) -> {
            if (p.supplierId() == null || p.sku() == null || p.available() == null) {
                throw new PoisonMessageException("StockChanged lacks a supplier, a SKU or the available quantity");
            }
            return p.available() > 0
                    ? held.afterStock(s, p.supplierId(), p.sku()).replaceWithVoid()
                    : Uni.createFrom().voidItem();
        });
    }
}
