package io.dropship.fulfillment.messaging;

import io.dropship.fulfillment.service.CallbackDispatcher;
import io.dropship.platform.outbox.TopicHandlers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (fulfillment-service.occasional) for the topics that see a few events an hour; each record goes to
 * its topic's handler, which keeps its name in the inbox (fulfillment-service.&lt;handler&gt;) and its dead-letter
 * topic (&lt;Topic&gt;.fulfillment-service.DLT). See {@link TopicHandlers}.
 *
 * <ul>
 * <li>{@code SupplierOrderCancelled} ({@link SupplierOrderCancelledConsumer#on}, {@code supplier-order-cancelled}): a
 *     supplier order cancelled before or after its hand-over
 * <li>{@code PaymentFailed} ({@link PaymentConsumer#failed}, {@code payment-failed}): a failed payment: its supplier
 *     orders are held
 * <li>{@code PrivacyRequestDone} ({@link PrivacyRequestDoneConsumer#on}, {@code privacy-request-done}): a privacy
 *     request's orders: the customer's data on their supplier orders erased or exported
 * <li>{@code RetailerBrandingChanged} ({@link RetailerBrandingChangedConsumer#on}, {@code retailer-branding}): the
 *     retailers' branding for packing slips (settlement-service; compacted)
 * </ul>
 */
@ApplicationScoped
public class OccasionalConsumer {

    static final String CHANNEL = "occasional";

    private final TopicHandlers handlers;

    public OccasionalConsumer(
            SupplierOrderCancelledConsumer cancellations,
            PaymentConsumer payments,
            PrivacyRequestDoneConsumer privacy,
            RetailerBrandingChangedConsumer branding,
            CallbackDispatcher callbacks) {
        this.handlers = TopicHandlers.of(
                CHANNEL,
                Map.of(
                        // A cancellation may owe the supplier a callback: the dispatcher looks after the commit.
                        "SupplierOrderCancelled", r -> cancellations.on(r).invoke(callbacks::wake),
                        "PaymentFailed", payments::failed,
                        "PrivacyRequestDone", privacy::on,
                        "RetailerBrandingChanged", branding::on));
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return handlers.apply(record);
    }
}
