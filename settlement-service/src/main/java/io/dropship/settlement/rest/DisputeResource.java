package io.dropship.settlement.rest;

import com.stripe.net.RequestOptions;
import com.stripe.param.DisputeUpdateParams;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.dropship.platform.outbox.SqlValues.instant;

/**
 * Card disputes of the retailers' charges: what Stripe reported, what it moved (the disputed amount, the dispute fee),
 * the suppliers' shares taken back by policy, and the evidence support submits to Stripe. While a dispute is open its
 * payment's supplier transfers wait; its case at order-service follows it.
 */
@Path("/api/disputes")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class DisputeResource {

    public record Dispute(String disputeId, UUID orderId, String retailerId, UUID paymentId, String chargeId, BigDecimal amount,
                          String currency, String reason, String status, Instant evidenceDueBy, Instant evidenceSubmittedAt,
                          String evidenceSubmittedBy, Instant openedAt, Instant closedAt, String outcome,
                          List<Movement> movements, List<Reversal> reversals) {

        Dispute with(List<Movement> movements, List<Reversal> reversals) {
            return new Dispute(disputeId, orderId, retailerId, paymentId, chargeId, amount, currency, reason, status, evidenceDueBy,
                    evidenceSubmittedAt, evidenceSubmittedBy, openedAt, closedAt, outcome, movements, reversals);
        }
    }

    /** What Stripe's balance moved for the dispute: amount negative when withdrawn; fee negative when given back. */
    public record Movement(String balanceTransactionId, BigDecimal amount, BigDecimal fee, String currency, Instant at) {
    }

    /**
     * A supplier's share taken back by policy: HELD (its transfer waits), REVERSE_DUE, REVERSED, REPAY_DUE, REPAID (the
     * dispute was won), KEPT (lost), RELEASED (won before anything was taken back).
     */
    public record Reversal(UUID supplierOrderId, String supplierId, BigDecimal amount, String currency, String status,
                           String reversalId, String repayTransferId, String lastError) {
    }

    /** What support knows; shippingDate defaults to when the payment's first supplier order shipped. */
    public record Evidence(@Size(max = 100) String carrier, @Size(max = 100) String trackingNumber,
                           @Pattern(regexp = "\\d{4}-\\d{2}-\\d{2}", message = "is a date as YYYY-MM-DD") String shippingDate,
                           @Size(max = 2000) String productDescription, @Size(max = 2000) String deliveryConfirmation,
                           @Size(max = 5000) String uncategorizedText) {
    }

    private static final String COLUMNS = "id, order_id, retailer_id, payment_id, charge_id, amount, currency, reason, status,"
            + " evidence_due_by, evidence_submitted_at, evidence_submitted_by, opened_at, closed_at, outcome";

    private final Mutiny.SessionFactory sessions;
    private final StripeGateway stripe;
    private final Caller caller;

    public DisputeResource(Mutiny.SessionFactory sessions, StripeGateway stripe, Caller caller) {
        this.sessions = sessions;
        this.stripe = stripe;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.RETAILER})
    @Operation(summary = "Card disputes, newest first (a retailer its own): open ones or closed ones")
    public Uni<List<Dispute>> list(@QueryParam("state") @Pattern(regexp = "open|closed") String state) {
        String retailer = caller.isStaff() ? null : caller.retailerId();
        return sessions.withSession(s -> s.createNativeQuery("select " + COLUMNS + " from dispute where"
                        + " (cast(:retailerId as text) is null or retailer_id = :retailerId) and (cast(:state as text) is null"
                        + " or (:state = 'open' and closed_at is null) or (:state = 'closed' and closed_at is not null))"
                        + " order by opened_at desc limit 200", Object[].class)
                .setParameter("retailerId", retailer).setParameter("state", state).getResultList()
                .chain(rows -> details(s, rows.stream().map(DisputeResource::dispute).toList())));
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.RETAILER})
    @Operation(summary = "One card dispute (a retailer its own)")
    public Uni<Dispute> get(@PathParam("id") String id) {
        return sessions.withSession(s -> find(s, id, false).chain(d -> details(s, List.of(d))).map(l -> l.get(0)));
    }

    /** The disputes with their movements and reversals: two queries for the whole page. */
    private static Uni<List<Dispute>> details(Mutiny.Session s, List<Dispute> disputes) {
        if (disputes.isEmpty()) {
            return Uni.createFrom().item(disputes);
        }
        List<String> ids = disputes.stream().map(Dispute::disputeId).toList();
        return s.createNativeQuery("select dispute_id, balance_transaction_id, amount, fee, currency, created_at"
                        + " from dispute_movement where dispute_id in (:ids) order by created_at, balance_transaction_id", Object[].class)
                .setParameter("ids", ids).getResultList()
                .chain(moves -> s.createNativeQuery("select dispute_id, supplier_order_id, supplier_id, amount, currency, status,"
                                + " reversal_id, repay_transfer_id, last_error from dispute_reversal where dispute_id in (:ids)"
                                + " order by supplier_order_id", Object[].class)
                        .setParameter("ids", ids).getResultList()
                        .map(reversals -> disputes.stream().map(d -> d.with(
                                moves.stream().filter(m -> d.disputeId().equals(m[0])).map(m -> new Movement((String) m[1],
                                        (BigDecimal) m[2], (BigDecimal) m[3], ((String) m[4]).strip(), instant(m[5]))).toList(),
                                reversals.stream().filter(r -> d.disputeId().equals(r[0])).map(r -> new Reversal((UUID) r[1],
                                        (String) r[2], (BigDecimal) r[3], ((String) r[4]).strip(), (String) r[5], (String) r[6],
                                        (String) r[7], (String) r[8])).toList())).toList()));
    }

    @POST
    @Path("{id}/evidence")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "Submit the evidence of an open dispute to Stripe (support), once",
            description = "Tracking, carrier, shipping date (the supplier order's when left out), a product description, the "
                    + "delivery confirmation and any other text, submitted for the card network's review. 409 when the dispute "
                    + "is closed or its evidence was submitted; a Stripe refusal is answered with Stripe's words.")
    public Uni<Dispute> evidence(@PathParam("id") String id, @Valid @NotNull Evidence body) {
        // Not locked: a refused call bumps the attempt in a transaction of its own; two submissions at once share the key.
        return sessions.withTransaction(s -> find(s, id, false).chain(d -> {
            if (d.closedAt() != null) {
                throw ProblemException.conflict("dispute " + id + " is closed (" + d.outcome() + ")");
            }
            if (d.evidenceSubmittedAt() != null) {
                throw ProblemException.conflict("the evidence of dispute " + id + " was submitted at " + d.evidenceSubmittedAt());
            }
            return s.createNativeQuery("select evidence_attempts, (select to_char(min(shipped_at), 'YYYY-MM-DD')"
                            + " from supplier_order_account where payment_id = :p) from dispute where id = :id", Object[].class)
                    .setParameter("p", d.paymentId()).setParameter("id", id).getSingleResult()
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
                        String text = String.join("\n", java.util.stream.Stream.of(
                                body.deliveryConfirmation() == null ? null : "Delivery confirmation: " + body.deliveryConfirmation(),
                                body.uncategorizedText()).filter(java.util.Objects::nonNull).toList());
                        if (!text.isBlank()) {
                            e.setUncategorizedText(text);
                        }
                        DisputeUpdateParams params = DisputeUpdateParams.builder().setEvidence(e.build()).setSubmit(true)
                                .putMetadata("submittedBy", caller.name()).build();
                        RequestOptions key = RequestOptions.builder().setIdempotencyKey("dpe-" + id + "-" + attempt).build();
                        return stripe.call(c -> c.v1().disputes().update(id, params, key))
                                .onFailure(StripeGateway.Failure.class).call(f -> ((StripeGateway.Failure) f).refused()
                                        ? sessions.withTransaction(t -> t.createNativeQuery("update dispute set evidence_attempts ="
                                                + " evidence_attempts + 1 where id = :id").setParameter("id", id).executeUpdate())
                                        : Uni.createFrom().voidItem())
                                .chain(() -> s.createNativeQuery("update dispute set evidence_submitted_at = now(),"
                                                + " evidence_submitted_by = :by, evidence_attempts = evidence_attempts + 1 where id = :id")
                                        .setParameter("by", caller.name()).setParameter("id", id).executeUpdate())
                                .chain(() -> find(s, id, false)).chain(found -> details(s, List.of(found))).map(l -> l.get(0));
                    });
        }));
    }

    private Uni<Dispute> find(Mutiny.Session s, String id, boolean lock) {
        return s.createNativeQuery("select " + COLUMNS + " from dispute where id = :id" + (lock ? " for update" : ""), Object[].class)
                .setParameter("id", id).getResultList()
                .map(rows -> {
                    Dispute d = rows.isEmpty() ? null : dispute(rows.get(0));
                    if (d == null || (!caller.isStaff() && !caller.retailerId().equals(d.retailerId()))) {
                        throw ProblemException.notFound("dispute " + id);
                    }
                    return d;
                });
    }

    private static Dispute dispute(Object[] r) {
        return new Dispute((String) r[0], (UUID) r[1], (String) r[2], (UUID) r[3], (String) r[4], (BigDecimal) r[5],
                ((String) r[6]).strip(), (String) r[7], (String) r[8], instant(r[9]), instant(r[10]), (String) r[11], instant(r[12]),
                instant(r[13]), (String) r[14], List.of(), List.of());
    }
}
