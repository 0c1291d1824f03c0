package io.dropship.order.messaging;

import io.dropship.order.analytics.AnalyticsConsumer;
import io.dropship.platform.outbox.BatchHandlers;
import io.dropship.platform.outbox.DeadLetters;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (order-service.projections) for the projections this service keeps beside the orders, each a
 * poll's worth at a time ({@link BatchHandlers}: every handler gets the poll's records of its topics, side by side):
 *
 * <ul>
 * <li>{@code timeline} ({@link TimelineConsumer}): every order-keyed event, an entry on its order's timeline
 * <li>{@code analytics} ({@link AnalyticsConsumer}): the retailers' and the platform's sales figures
 * <li>{@code payment-cleared} ({@link PaymentConsumer#cleared}): a payment through, on the order
 * <li>{@code stock-changed} ({@link StockChangedConsumer}): stock available again lets held orders route
 * </ul>
 *
 * Their topics and dead-letter topics are in application.properties ({@code dropship.handlers.<name>.*}).
 */
@ApplicationScoped
public class ProjectionsConsumer {

    static final String CHANNEL = "projections";

    private final BatchHandlers handlers;

    public ProjectionsConsumer(
            TimelineConsumer timeline,
            AnalyticsConsumer analytics,
            PaymentConsumer payments,
            StockChangedConsumer stock,
            Vertx vertx,
            DeadLetters deadLetters) {
        this.handlers = BatchHandlers.of(
                CHANNEL,
                Map.of(
                        TimelineConsumer.CHANNEL, timeline::on,
                        AnalyticsConsumer.CHANNEL, analytics::on,
                        PaymentConsumer.CLEARED, payments::cleared,
                        StockChangedConsumer.CHANNEL, stock::on),
                vertx,
                deadLetters);
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return handlers.apply(records);
    }
}
