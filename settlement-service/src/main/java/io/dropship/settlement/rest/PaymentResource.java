package io.dropship.settlement.rest;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Cursors;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The retailer's charges: what was taken, what is on hold and why, and a way to try again after fixing the card. */
@Path("/api/billing/payments")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    public record Payment(UUID paymentId, UUID orderId, String orderNumber, String retailerId, String currency,
                          BigDecimal amount, BigDecimal refunded, String status, String lastError, String declineCode,
                          int attempts, Instant nextAttemptAt, String paymentIntentId, String chargeId, Instant succeededAt,
                          Instant createdAt) {
    }

    private static final String COLUMNS = "id, order_id, order_number, retailer_id, currency, amount, refunded, status,"
            + " last_error, decline_code, attempts, next_attempt_at, payment_intent_id, charge_id, succeeded_at, created_at";

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    public PaymentResource(Mutiny.SessionFactory sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "Payments, newest first: a retailer sees its own; staff any retailer's or all",
            description = "status: DUE, SUCCEEDED, ON_HOLD (lastError says why; nextAttemptAt when it is tried again), CANCELLED."
                    + " At most `limit` (50 unless given, at most 200).")
    public Uni<Page<Payment>> list(@QueryParam("status") @jakarta.validation.constraints.Pattern(
                                           regexp = "DUE|SUCCEEDED|ON_HOLD|CANCELLED") String status,
                                   @QueryParam("retailerId") String retailerId,
                                   @QueryParam("limit") @jakarta.ws.rs.DefaultValue("50") @jakarta.validation.constraints.Min(1)
                                   @jakarta.validation.constraints.Max(200) int limit,
                                   @QueryParam("cursor") String cursor) {
        UUID after = Cursors.after(cursor, UUID::fromString);
        Optional<String> scope = caller.retailerScope(retailerId);
        return sessions.withSession(s -> s.createNativeQuery("select " + COLUMNS + " from payment"
                        + " where (cast(:retailerId as text) is null or retailer_id = :retailerId) and (cast(:st as text) is null or status = :st)"
                        + " and (cast(:after as uuid) is null or (created_at, id) < (select created_at, id from payment"
                        + " where id = cast(:after as uuid)))"
                        + " order by created_at desc, id desc limit " + (limit + 1), Object[].class)
                .setParameter("retailerId", scope.orElse(null)).setParameter("st", status).setParameter("after", after).getResultList())
                .map(rows -> Page.of(rows.stream().map(PaymentResource::payment).toList(), limit, p -> new Object[] {p.paymentId()}));
    }

    @POST
    @Path("{paymentId}/retry")
    // Charges a card: the retailer for its own, or an admin. Support reads.
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(summary = "Try a payment on hold again now (after the retailer fixed or changed its card)",
            description = "409 unless the payment is ON_HOLD.")
    public Uni<Payment> retry(@PathParam("paymentId") UUID paymentId) {
        Optional<String> scope = caller.retailerScope(null);
        return sessions.withTransaction(s -> s.createNativeQuery("select " + COLUMNS + " from payment where id = :p for update",
                        Object[].class).setParameter("p", paymentId).getResultList()
                .chain(rows -> {
                    if (rows.isEmpty() || scope.map(r -> !r.equals(rows.get(0)[3])).orElse(false)) {
                        throw ProblemException.notFound("payment " + paymentId);
                    }
                    if (!"ON_HOLD".equals(rows.get(0)[7])) {
                        throw ProblemException.conflict("payment " + paymentId + " is " + rows.get(0)[7] + ", not ON_HOLD");
                    }
                    return s.createNativeQuery("update payment set next_attempt_at = now(), updated_at = now() where id = :p")
                            .setParameter("p", paymentId).executeUpdate().replaceWith(payment(rows.get(0)));
                }));
    }

    static Payment payment(Object[] r) {
        return new Payment((UUID) r[0], (UUID) r[1], (String) r[2], (String) r[3], (String) r[4], (BigDecimal) r[5],
                (BigDecimal) r[6], (String) r[7], (String) r[8], (String) r[9], (Integer) r[10], instant(r[11]),
                (String) r[12], (String) r[13], instant(r[14]), instant(r[15]));
    }

    static Instant instant(Object o) {
        return o == null ? null : o instanceof OffsetDateTime odt ? odt.toInstant() : (Instant) o;
    }
}
