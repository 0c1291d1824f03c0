package io.dropship.order.messaging;

import io.dropship.platform.outbox.Inbox;
import io.dropship.platform.outbox.PoisonMessageException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * Keeps what settlement-service says of an order's payments, so the retailer sees on the order why its supplier
 * orders wait (a declined card, no payment method) and when the payment went through. The two topics may be read in
 * either order: a charge that went through is final, and of two failures the later one is kept.
 */
@ApplicationScoped
public class PaymentConsumer {

    public record PaymentCleared(UUID paymentId, UUID orderId, String basis, Instant clearedAt) {}

    public record PaymentFailed(
            UUID paymentId, UUID orderId, String reason, String declineCode, Instant nextAttemptAt, Instant failedAt) {}

    /** The handler of PaymentCleared in the projections channel ({@link ProjectionsConsumer}). */
    static final String CLEARED = "payment-cleared";

    private final Inbox inbox;

    public PaymentConsumer(Inbox inbox) {
        this.inbox = inbox;
    }

    /**
     * A poll's worth at a time in one transaction (the inbox's applyAll): every order clears a payment, and a commit
     * per order woke the database's WAL readers for a row the retailer reads on the order at most a second later.
     */
    public Uni<Void> cleared(ConsumerRecords<String, String> records) {
        return inbox.applyAll(CLEARED, records, PaymentCleared.class, (s, e, p) -> {
            if (p.paymentId() == null || p.orderId() == null || p.clearedAt() == null || p.basis() == null) {
                throw new PoisonMessageException("PaymentCleared lacks a payment, order, basis or time");
            }
            if ("NO_CHARGE".equals(p.basis())) {
                return Uni.createFrom().voidItem(); // a reship at no charge: no payment to show on the order
            }
            String column = "CHARGED".equals(p.basis()) ? "charged_at" : "credit_at";
            return s.createNativeQuery("insert into order_payment (payment_id, order_id, " + column + ")"
                            + " values (:p, :orderId, :at) on conflict (payment_id) do update set " + column
                            + " = excluded." + column)
                    .setParameter("p", p.paymentId())
                    .setParameter("orderId", p.orderId())
                    .setParameter("at", p.clearedAt().atOffset(ZoneOffset.UTC))
                    .executeUpdate()
                    .replaceWithVoid();
        });
    }

    public Uni<Void> failed(ConsumerRecord<String, String> record) {
        return inbox.apply("payment-failed", record, PaymentFailed.class, (s, e, p) -> {
            if (p.paymentId() == null || p.orderId() == null || p.failedAt() == null) {
                throw new PoisonMessageException("PaymentFailed lacks a payment, order or time");
            }
            String reason = p.reason() == null ? "the payment failed" : p.reason();
            return s.createNativeQuery(
                            "insert into order_payment (payment_id, order_id, failed_at, problem, decline_code,"
                                    + " next_attempt_at) values (:p, :orderId, :at, :why, :code, :next)"
                                    + " on conflict (payment_id) do update set failed_at = excluded.failed_at, problem = excluded.problem,"
                                    + " decline_code = excluded.decline_code, next_attempt_at = excluded.next_attempt_at"
                                    + " where order_payment.failed_at is null or order_payment.failed_at < excluded.failed_at")
                    .setParameter("p", p.paymentId())
                    .setParameter("orderId", p.orderId())
                    .setParameter("at", p.failedAt().atOffset(ZoneOffset.UTC))
                    .setParameter("why", reason.length() > 500 ? reason.substring(0, 500) : reason)
                    .setParameter("code", p.declineCode())
                    .setParameter(
                            "next",
                            p.nextAttemptAt() == null ? null : p.nextAttemptAt().atOffset(ZoneOffset.UTC))
                    .executeUpdate()
                    .replaceWithVoid();
        });
    }
}
