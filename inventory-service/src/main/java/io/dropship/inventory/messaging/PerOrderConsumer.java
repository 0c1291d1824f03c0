package io.dropship.inventory.messaging;

import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.PartitionLanes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (inventory-service.per-order) for the topics of an order inventory follows, a poll at a time,
 * each partition's records in order and up to {@value #LANES} partitions side by side ({@link PartitionLanes};
 * SupplierOrderRouted had three consumers of its own, Shipped one). Each handler keeps its inbox name
 * (inventory-service.&lt;handler&gt;) and its dead-letter topic (&lt;Topic&gt;.inventory-service.DLT).
 *
 * <ul>
 * <li>{@code SupplierOrderRouted} ({@link SupplierOrderRoutedConsumer#on}, {@code supplier-order-routed}): a supplier
 *     order's stock reserved, exactly, or refused
 * <li>{@code Shipped} ({@link ShippedConsumer#on}, {@code shipped}): a supplier order shipped: its reserved units
 *     leave stock ({@code Reservations.ship})
 * </ul>
 */
@ApplicationScoped
public class PerOrderConsumer {

    static final String CHANNEL = "per-order";
    static final int LANES = 4;

    private final PartitionLanes lanes;

    public PerOrderConsumer(
            SupplierOrderRoutedConsumer routed, ShippedConsumer shipped, Vertx vertx, DeadLetters deadLetters) {
        this.lanes = PartitionLanes.of(
                CHANNEL,
                Map.of(
                        "SupplierOrderRouted", routed::on,
                        "Shipped", shipped::on),
                LANES,
                vertx,
                deadLetters);
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return lanes.apply(records);
    }
}
