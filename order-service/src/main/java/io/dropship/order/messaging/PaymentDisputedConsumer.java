package io.dropship.order.messaging;

import io.dropship.order.service.Cases;
import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Card disputes of an order's charge (settlement-service): a DISPUTE case follows each. */
@ApplicationScoped
public class PaymentDisputedConsumer {

    /** PaymentDisputed as order-service reads it. */
    public record PaymentDisputed(
            String disputeId,
            UUID orderId,
            String event,
            String status,
            String reason,
            String amount,
            String currency,
            Instant evidenceDueBy,
            String outcome) {}

    private final Inbox inbox;
    private final Cases cases;

    public PaymentDisputedConsumer(Inbox inbox, Cases cases) {
        this.inbox = inbox;
        this.cases = cases;
    }

    public Uni<Void> on(ConsumerRecord<String, String> record) {
        return inbox.apply("payment-disputed", record, PaymentDisputed.class, (s, e, d) -> {
            if (d.disputeId() == null || d.orderId() == null || d.event() == null) {
                throw new PoisonMessageException("PaymentDisputed without a dispute, an order or an event");
            }
            return cases.dispute(
                    s,
                    d.disputeId(),
                    d.orderId(),
                    d.event(),
                    String.valueOf(d.status()),
                    d.reason(),
                    d.amount(),
                    d.currency(),
                    d.evidenceDueBy(),
                    d.outcome());
        });
    }
}
