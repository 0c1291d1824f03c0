package io.dropship.order.messaging;

import io.dropship.platform.outbox.TopicHandlers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (order-service.occasional) for the topics that see a few events an hour; each record goes to its
 * topic's handler, which keeps its name in the inbox (order-service.&lt;handler&gt;) and its dead-letter topic
 * (&lt;Topic&gt;.order-service.DLT). See {@link TopicHandlers}.
 *
 * <ul>
 * <li>{@code SupplierChanged} ({@link CatalogProjectionConsumer#supplier}, {@code supplier-changed}): a supplier's
 *     status and handling days, for routing
 * <li>{@code ReservationRefused} ({@link ReservationConsumer#refused}, {@code reservation-refused}): stock refused to a
 *     supplier order: routed again or held
 * <li>{@code PaymentFailed} ({@link PaymentConsumer#failed}, {@code payment-failed}): a declined charge, shown on the
 *     order
 * <li>{@code OrderCancelled} ({@link CancellationConsumer#cancelled}, {@code order-cancelled}): a retailer's
 *     cancellation
 * <li>{@code SupplierOrderRejected} ({@link CancellationConsumer#rejected}, {@code supplier-order-rejected}): a
 *     supplier order its supplier turned down: routed again
 * <li>{@code PaymentDisputed} ({@link PaymentDisputedConsumer#on}, {@code payment-disputed}): a card dispute of an
 *     order's charge: a DISPUTE case
 * <li>{@code PrivacyRequested} ({@link PrivacyRequestedConsumer#on}, {@code privacy-requested}): a shopper's export or
 *     erasure request
 * </ul>
 */
@ApplicationScoped
public class OccasionalConsumer {

    static final String CHANNEL = "occasional";

    private final TopicHandlers handlers;

    public OccasionalConsumer(
            CatalogProjectionConsumer catalog,
            ReservationConsumer reservations,
            PaymentConsumer payments,
            CancellationConsumer cancellations,
            PaymentDisputedConsumer disputes,
            PrivacyRequestedConsumer privacy) {
        this.handlers = TopicHandlers.of(
                CHANNEL,
                Map.of(
                        "SupplierChanged", catalog::supplier,
                        "ReservationRefused", reservations::refused,
                        "PaymentFailed", payments::failed,
                        "OrderCancelled", cancellations::cancelled,
                        "SupplierOrderRejected", cancellations::rejected,
                        "PaymentDisputed", disputes::on,
                        "PrivacyRequested", privacy::on));
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return handlers.apply(record);
    }
}
