package io.dropship.settlement.messaging;

import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.PartitionLanes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (settlement-service.per-order) for the topics of an order settlement follows, a poll at a time,
 * each partition's records in order and up to {@value #LANES} partitions side by side ({@link PartitionLanes};
 * StockReserved had three consumers of its own, Shipped one). Each handler keeps its inbox name
 * (settlement-service.&lt;handler&gt;) and its dead-letter topic (&lt;Topic&gt;.settlement-service.DLT).
 *
 * <ul>
 * <li>{@code StockReserved} ({@link SettlementConsumer#reserved}, {@code stock-reserved}): a supplier order's amounts;
 *     the order's last reservation invoices it and claims its charge
 * <li>{@code Shipped} ({@link SettlementConsumer#shipped}, {@code shipped}): a supplier order shipped, in the ledger
 *     ({@code Ledger.shipped})
 * </ul>
 */
@ApplicationScoped
public class PerOrderConsumer {

    static final String CHANNEL = "per-order";
    static final int LANES = 6;

    private final PartitionLanes lanes;

    public PerOrderConsumer(SettlementConsumer settlement, Vertx vertx, DeadLetters deadLetters) {
        this.lanes = PartitionLanes.of(
                CHANNEL,
                Map.of(
                        "StockReserved", settlement::reserved,
                        "Shipped", settlement::shipped),
                LANES,
                vertx,
                deadLetters);
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return lanes.apply(records);
    }
}
