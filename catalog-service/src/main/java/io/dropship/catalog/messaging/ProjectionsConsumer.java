package io.dropship.catalog.messaging;

import io.dropship.platform.outbox.BatchHandlers;
import io.dropship.platform.outbox.DeadLetters;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (catalog-service.projections) for what the catalog keeps from other services' events, each a
 * poll's worth at a time ({@link BatchHandlers}: every handler gets the poll's records of its topics, side by side):
 *
 * <ul>
 * <li>{@code stock-changed} ({@link StockChangedConsumer}): inventory's stock levels, for the search
 * <li>{@code sales} ({@link SupplierOrderRoutedConsumer}): what sells across the platform, for recommendations
 * </ul>
 *
 * Their topics and dead-letter topics are in application.properties ({@code dropship.handlers.<name>.*}).
 */
@ApplicationScoped
public class ProjectionsConsumer {

    static final String CHANNEL = "projections";

    private final BatchHandlers handlers;

    public ProjectionsConsumer(
            StockChangedConsumer stock, SupplierOrderRoutedConsumer sales, Vertx vertx, DeadLetters deadLetters) {
        this.handlers = BatchHandlers.of(
                CHANNEL,
                Map.of(
                        StockChangedConsumer.CHANNEL,
                        stock::stockChanged,
                        SupplierOrderRoutedConsumer.CHANNEL,
                        sales::routed),
                vertx,
                deadLetters);
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return handlers.apply(records);
    }
}
