package io.dropship.fulfillment.messaging;

import io.dropship.fulfillment.service.CallbackDispatcher;
import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.PartitionLanes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (fulfillment-service.per-order) for the topics of an order fulfillment follows, a poll at a time,
 * each partition's records in order and up to {@value #LANES} partitions side by side ({@link PartitionLanes}; each
 * had a consumer of its own). Each handler keeps its inbox name (fulfillment-service.&lt;handler&gt;) and its
 * dead-letter topic (&lt;Topic&gt;.fulfillment-service.DLT).
 *
 * <ul>
 * <li>{@code StockReserved} ({@link StockReservedConsumer#on}, {@code stock-reserved}): a reserved supplier order,
 *     dispatched to its supplier ({@code Dispatch})
 * <li>{@code PaymentCleared} ({@link PaymentConsumer#cleared}, {@code payment-cleared}): the order's payment cleared,
 *     for its supplier orders ({@code Dispatch})
 * </ul>
 */
@ApplicationScoped
public class PerOrderConsumer {

    static final String CHANNEL = "per-order";
    static final int LANES = 4;

    private final PartitionLanes lanes;

    public PerOrderConsumer(
            StockReservedConsumer reserved,
            PaymentConsumer payments,
            CallbackDispatcher callbacks,
            Vertx vertx,
            DeadLetters deadLetters) {
        // Both may owe a supplier a callback (RECEIVED): the dispatcher looks once the handler's transaction is done.
        this.lanes = PartitionLanes.of(
                CHANNEL,
                Map.of(
                        "StockReserved", r -> reserved.on(r).invoke(callbacks::wake),
                        "PaymentCleared", r -> payments.cleared(r).invoke(callbacks::wake)),
                LANES,
                vertx,
                deadLetters);
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return lanes.apply(records);
    }
}
