package io.dropship.settlement.messaging;

import io.dropship.platform.outbox.TopicHandlers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * One Kafka consumer (settlement-service.occasional) for the topics that see a few events an hour; each record goes to
 * its topic's handler, which keeps its name in the inbox (settlement-service.&lt;handler&gt;) and its dead-letter topic
 * (&lt;Topic&gt;.settlement-service.DLT). See {@link TopicHandlers}.
 *
 * <ul>
 * <li>{@code CaseUpdated} ({@link SettlementConsumer#caseUpdated}, {@code case-updated}): a case resolved with a
 *     refund: money given back as a return is
 * <li>{@code SupplierFeatured} ({@link SettlementConsumer#supplierFeatured}, {@code supplier-featured}): a featured
 *     supplier, whose orders carry the featured listing fee
 * <li>{@code ReservationRefused} ({@link SettlementConsumer#refused}, {@code reservation-refused}): stock refused to a
 *     supplier order: not charged, the order invoiced without it
 * <li>{@code SupplierOrderCancelled} ({@link SettlementConsumer#cancelled}, {@code supplier-order-cancelled}): a
 *     supplier order that will never ship: not invoiced, or its entries reversed and its share refunded
 * <li>{@code SupplierOrderRejected} ({@link SettlementConsumer#rejected}, {@code supplier-order-rejected}): the same
 *     for a supplier order its supplier rejected
 * </ul>
 */
@ApplicationScoped
public class OccasionalConsumer {

    static final String CHANNEL = "occasional";

    private final TopicHandlers handlers;

    public OccasionalConsumer(SettlementConsumer settlement) {
        this.handlers = TopicHandlers.of(
                CHANNEL,
                Map.of(
                        "CaseUpdated", settlement::caseUpdated,
                        "SupplierFeatured", settlement::supplierFeatured,
                        "ReservationRefused", settlement::refused,
                        "SupplierOrderCancelled", settlement::cancelled,
                        "SupplierOrderRejected", settlement::rejected));
    }

    @Incoming(CHANNEL)
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return handlers.apply(record);
    }
}
