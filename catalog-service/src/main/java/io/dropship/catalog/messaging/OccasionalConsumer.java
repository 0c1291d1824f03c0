package io.dropship.catalog.messaging;

import io.dropship.platform.outbox.TopicHandlers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (catalog-service.occasional) for the topics that see a few events an hour; each record goes to its
 * topic's handler, which keeps its name in the inbox (catalog-service.&lt;handler&gt;) and its dead-letter topic
 * (&lt;Topic&gt;.catalog-service.DLT). See {@link TopicHandlers}.
 *
 * <ul>
 * <li>{@code SupplierSignedUp} ({@link SupplierSignedUpConsumer#on}, {@code supplier-signed-up}): a supplier signed up
 *     at the gateway: registered here, PENDING
 * <li>{@code SupplierScored} ({@link SupplierReputationConsumer#scored}, {@code supplier-scored}): the directory's
 *     rating (order-service; compacted)
 * <li>{@code ReturnPolicyChanged} ({@link SupplierReputationConsumer#returnPolicy}, {@code return-policy-changed}): the
 *     directory's return policy summary (settlement-service; compacted)
 * <li>{@code SubscriptionChanged} ({@link SubscriptionChangedConsumer#changed}, {@code subscription-changed}): a
 *     retailer's plan and its supplier limit
 * </ul>
 */
@ApplicationScoped
public class OccasionalConsumer {

    static final String CHANNEL = "occasional";

    private final TopicHandlers handlers;

    public OccasionalConsumer(
            SupplierSignedUpConsumer signUps,
            SupplierReputationConsumer reputation,
            SubscriptionChangedConsumer subscriptions) {
        this.handlers = TopicHandlers.of(
                CHANNEL,
                Map.of(
                        "SupplierSignedUp", signUps::on,
                        "SupplierScored", reputation::scored,
                        "ReturnPolicyChanged", reputation::returnPolicy,
                        "SubscriptionChanged", subscriptions::changed));
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return handlers.apply(record);
    }
}
