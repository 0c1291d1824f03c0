package io.dropship.gateway.messaging;

import io.dropship.gateway.messaging.events.OrderStatusChanged;
import io.dropship.gateway.stores.StorePushes;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * An order the platform cancelled with {@code tellStore} becomes the cancellation its store is owed, recorded once,
 * made after the commit by the StorePushWorker. Other status changes ask nothing of the store.
 */
@ApplicationScoped
public class OrderStatusChangedConsumer {

    private final Inbox inbox;
    private final StorePushes pushes;

    public OrderStatusChangedConsumer(Inbox inbox, StorePushes pushes) {
        this.inbox = inbox;
        this.pushes = pushes;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        java.util.concurrent.atomic.AtomicBoolean cancellation = new java.util.concurrent.atomic.AtomicBoolean();
        return inbox.apply("order-status-changed", record, OrderStatusChanged.class, (s, e, changed) -> {
                    if (changed.orderId() == null || changed.status() == null) {
                        throw new PoisonMessageException("OrderStatusChanged without an order id or status");
                    }
                    if (!"CANCELLED".equals(changed.status()) || !changed.tellStore()) {
                        return Uni.createFrom().voidItem();
                    }
                    cancellation.set(true);
                    return pushes.recordCancellation(s, changed);
                })
                .invoke(() -> {
                    if (cancellation.get()) {
                        pushes.workCommitted();
                    }
                });
    }
}
