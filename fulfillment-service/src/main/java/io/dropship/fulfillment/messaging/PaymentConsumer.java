package io.dropship.fulfillment.messaging;

import io.dropship.fulfillment.service.Dispatch;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The retailer's payment decides when a supplier order may reach its supplier: cleared, it goes; failed, it is held. */
@ApplicationScoped
public class PaymentConsumer {

    public record PaymentCleared(UUID paymentId, UUID orderId, List<UUID> supplierOrderIds, String basis) {}

    public record PaymentFailed(UUID paymentId, UUID orderId, List<UUID> supplierOrderIds, String reason) {}

    private final Inbox inbox;
    private final Dispatch dispatch;

    public PaymentConsumer(Inbox inbox, Dispatch dispatch) {
        this.inbox = inbox;
        this.dispatch = dispatch;
    }

    public Uni<Void> cleared(ConsumerRecord<String, String> record) {
        return inbox.apply("payment-cleared", record, PaymentCleared.class, (s, e, p) -> {
            if (p.paymentId() == null || p.supplierOrderIds() == null || p.basis() == null) {
                throw new PoisonMessageException("PaymentCleared lacks a payment id, supplier order ids or basis");
            }
            return dispatch.paymentCleared(s, p.supplierOrderIds(), p.paymentId(), p.basis());
        });
    }

    public Uni<Void> failed(ConsumerRecord<String, String> record) {
        return inbox.apply("payment-failed", record, PaymentFailed.class, (s, e, p) -> {
            if (p.supplierOrderIds() == null) {
                throw new PoisonMessageException("PaymentFailed lacks supplier order ids");
            }
            return dispatch.paymentFailed(s, p.supplierOrderIds(), p.reason());
        });
    }
}
