package io.dropship.order.messaging;

import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.PartitionLanes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (order-service.per-order) for the topics every order passes through, a poll at a time, each
 * partition's records in order and up to {@value #LANES} partitions side by side ({@link PartitionLanes}; OrderPlaced
 * had three consumers of its own, the others one each). Each handler keeps its inbox name
 * (order-service.&lt;handler&gt;) and its dead-letter topic (&lt;Topic&gt;.order-service.DLT).
 *
 * <ul>
 * <li>{@code OrderPlaced} ({@link OrderPlacedConsumer#on}, {@code order-placed}): the order, routed
 * <li>{@code StockReserved} ({@link ReservationConsumer#reserved}, {@code stock-reserved}): a supplier order's stock
 *     reserved
 * <li>{@code Shipped} ({@link ShippedConsumer#on}, {@code shipped}): a supplier order's tracking
 * <li>{@code Delivered} ({@link ShippedConsumer#delivered}, {@code delivered}): a supplier order delivered
 * </ul>
 */
@ApplicationScoped
public class PerOrderConsumer {

    static final String CHANNEL = "per-order";
    static final int LANES = 6;

    private final PartitionLanes lanes;

    public PerOrderConsumer(
            OrderPlacedConsumer placed,
            ReservationConsumer reservations,
            ShippedConsumer shipments,
            Vertx vertx,
            DeadLetters deadLetters) {
        this.lanes = PartitionLanes.of(
                CHANNEL,
                Map.of(
                        "OrderPlaced", placed::on,
                        "StockReserved", reservations::reserved,
                        "Shipped", shipments::on,
                        "Delivered", shipments::delivered),
                LANES,
                vertx,
                deadLetters);
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return lanes.apply(records);
    }
}
