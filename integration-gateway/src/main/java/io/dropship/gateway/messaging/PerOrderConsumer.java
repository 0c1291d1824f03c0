package io.dropship.gateway.messaging;

import io.dropship.gateway.privacy.PrivacyAnswers;
import io.dropship.platform.outbox.DeadLetters;
import io.dropship.platform.outbox.PartitionLanes;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (integration-gateway.per-order) for the topics whose events go to a store or answer a request
 * (tracking, an order's status, privacy answers), a poll at a time, each partition's records in order and up to
 * {@value #LANES} partitions side by side ({@link PartitionLanes}; each had a consumer of its own). Each handler keeps
 * its inbox name (integration-gateway.&lt;handler&gt;) and its dead-letter topic
 * (&lt;Topic&gt;.integration-gateway.DLT).
 *
 * <ul>
 * <li>{@code Shipped} ({@link ShippedConsumer#on}, {@code shipped}): tracking, pushed to the order's store
 * <li>{@code OrderStatusChanged} ({@link OrderStatusChangedConsumer#on}, {@code order-status-changed}): an order the
 *     platform cancelled, told to its store
 * <li>{@code PrivacyRequestDone} ({@link PrivacyAnswers#on}, {@code privacy-request-done}): a service's answer to a
 *     privacy request
 * </ul>
 */
@ApplicationScoped
public class PerOrderConsumer {

    static final String CHANNEL = "per-order";
    static final int LANES = 4;

    private final PartitionLanes lanes;

    public PerOrderConsumer(
            ShippedConsumer shipped,
            OrderStatusChangedConsumer statuses,
            PrivacyAnswers privacy,
            Vertx vertx,
            DeadLetters deadLetters) {
        this.lanes = PartitionLanes.of(
                CHANNEL,
                Map.of(
                        "Shipped", shipped::on,
                        "OrderStatusChanged", statuses::on,
                        "PrivacyRequestDone", privacy::on),
                LANES,
                vertx,
                deadLetters);
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return lanes.apply(records);
    }
}
