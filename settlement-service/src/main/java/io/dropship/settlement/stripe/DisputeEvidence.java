package io.dropship.settlement.stripe;

import com.stripe.net.RequestOptions;
import com.stripe.param.DisputeUpdateParams;
import io.dropship.platform.web.ProblemException;
import io.dropship.settlement.service.Disputes;
import io.dropship.settlement.service.Disputes.Dispute;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.hibernate.reactive.mutiny.Mutiny;

/** Support's evidence for an open card dispute, submitted to Stripe once for the card network's review. */
@ApplicationScoped
public class DisputeEvidence {

    /** What support knows; shippingDate defaults to when the payment's first supplier order shipped. */
    public record Evidence(
            @Size(max = 100) String carrier,
            @Size(max = 100) String trackingNumber,

            @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}", message = "is a date as YYYY-MM-DD")
            String shippingDate,

            @Size(max = 2000) String productDescription,
            @Size(max = 2000) String deliveryConfirmation,
            @Size(max = 5000) String uncategorizedText) {}

    private final Mutiny.SessionFactory sessions;
    private final StripeGateway stripe;

    public DisputeEvidence(Mutiny.SessionFactory sessions, StripeGateway stripe) {
        this.sessions = sessions;
        this.stripe = stripe;
    }

    /** Submits it; 409 when the dispute is closed or its evidence was submitted; a Stripe refusal in Stripe's words. */
    public Uni<Dispute> submit(String id, Evidence body, String by) {
        // Not locked: a refused call bumps the attempt in a transaction of its own; two submissions at once share the
        // key.
        return sessions.withTransaction(s -> Disputes.row(s, id, null).chain(d -> {
            if (d.closedAt() != null) {
                throw ProblemException.conflict("dispute " + id + " is closed (" + d.outcome() + ")");
            }
            if (d.evidenceSubmittedAt() != null) {
                throw ProblemException.conflict(
                        "the evidence of dispute " + id + " was submitted at " + d.evidenceSubmittedAt());
            }
            return s.createNativeQuery(
                            "select evidence_attempts, (select to_char(min(shipped_at), 'YYYY-MM-DD')"
                                    + " from supplier_order_account where payment_id = :p) from dispute where id = :id",
                            Object[].class)
                    .setParameter("p", d.paymentId())
                    .setParameter("id", id)
                    .getSingleResult()
                    .chain(r -> {
                        int attempt = ((Number) r[0]).intValue();
                        DisputeUpdateParams.Evidence.Builder e = DisputeUpdateParams.Evidence.builder();
                        String shipped = body.shippingDate() != null ? body.shippingDate() : (String) r[1];
                        if (shipped != null) {
                            e.setShippingDate(shipped);
                        }
                        if (body.carrier() != null) {
                            e.setShippingCarrier(body.carrier());
                        }
                        if (body.trackingNumber() != null) {
                            e.setShippingTrackingNumber(body.trackingNumber());
                        }
                        if (body.productDescription() != null) {
                            e.setProductDescription(body.productDescription());
                        }
                        String text = String.join(
                                "\n",
                                java.util.stream.Stream.of(
                                                body.deliveryConfirmation() == null
                                                        ? null
                                                        : "Delivery confirmation: " + body.deliveryConfirmation(),
                                                body.uncategorizedText())
                                        .filter(java.util.Objects::nonNull)
                                        .toList());
                        if (!text.isBlank()) {
                            e.setUncategorizedText(text);
                        }
                        DisputeUpdateParams params = DisputeUpdateParams.builder()
                                .setEvidence(e.build())
                                .setSubmit(true)
                                .putMetadata("submittedBy", by)
                                .build();
                        RequestOptions key = RequestOptions.builder()
                                .setIdempotencyKey("dpe-" + id + "-" + attempt)
                                .build();
                        return stripe.call(c -> c.v1().disputes().update(id, params, key))
                                .onFailure(StripeGateway.Failure.class)
                                .call(f -> ((StripeGateway.Failure) f).refused()
                                        ? sessions.withTransaction(
                                                t -> t.createNativeQuery("update dispute set evidence_attempts ="
                                                                + " evidence_attempts + 1 where id = :id")
                                                        .setParameter("id", id)
                                                        .executeUpdate())
                                        : Uni.createFrom().voidItem())
                                .chain(() -> s.createNativeQuery(
                                                "update dispute set evidence_submitted_at = now(),"
                                                        + " evidence_submitted_by = :by, evidence_attempts = evidence_attempts + 1 where id = :id")
                                        .setParameter("by", by)
                                        .setParameter("id", id)
                                        .executeUpdate())
                                .chain(() -> Disputes.row(s, id, null))
                                .chain(found -> Disputes.find(s, found.disputeId(), null));
                    });
        }));
    }
}
