package io.dropship.inventory.messaging;

import io.dropship.platform.outbox.TopicHandlers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (inventory-service.occasional) for the topics that see a few events an hour; each record goes to
 * its topic's handler, which keeps its name in the inbox (inventory-service.&lt;handler&gt;) and its dead-letter topic
 * (&lt;Topic&gt;.inventory-service.DLT). See {@link TopicHandlers}.
 *
 * <ul>
 * <li>{@code SupplierOrderCancelled} ({@link ReleaseConsumer#cancelled}, {@code supplier-order-cancelled}): a cancelled
 *     supplier order's reservation released
 * <li>{@code SupplierOrderRejected} ({@link ReleaseConsumer#rejected}, {@code supplier-order-rejected}): a rejected
 *     supplier order's reservation released
 * <li>{@code ReturnUpdated} ({@link ReturnUpdatedConsumer#on}, {@code return-updated}): returned units their supplier
 *     can sell again go back on hand
 * </ul>
 */
@ApplicationScoped
public class OccasionalConsumer {

    static final String CHANNEL = "occasional";

    private final TopicHandlers handlers;

    public OccasionalConsumer(ReleaseConsumer releases, ReturnUpdatedConsumer returns) {
        this.handlers = TopicHandlers.of(
                CHANNEL,
                Map.of(
                        "SupplierOrderCancelled", releases::cancelled,
                        "SupplierOrderRejected", releases::rejected,
                        "ReturnUpdated", returns::on));
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return handlers.apply(record);
    }
}
