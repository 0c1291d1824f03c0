package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.service.Payments;
import io.dropship.settlement.service.Payments.Payment;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The retailer's charges: what was taken, what is on hold and why, and a way to try again after fixing the card. */
@Path("/api/billing/payments")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    private final Payments payments;
    private final Caller caller;
    private final io.dropship.settlement.stripe.StripeCalls money;

    public PaymentResource(Payments payments, Caller caller, io.dropship.settlement.stripe.StripeCalls money) {
        this.money = money;
        this.payments = payments;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "Payments, newest first: a retailer sees its own; staff any retailer's or all",
            description =
                    "status: DUE, SUCCEEDED, ON_HOLD (lastError says why; nextAttemptAt when it is tried again), CANCELLED."
                            + " At most `limit` (50 unless given, at most 200).")
    public Uni<Page<Payment>> list(
            @QueryParam("status") @jakarta.validation.constraints.Pattern(regexp = "DUE|SUCCEEDED|ON_HOLD|CANCELLED")
                    String status,
            @QueryParam("retailerId") String retailerId,
            @QueryParam("limit")
                    @jakarta.ws.rs.DefaultValue("50")
                    @jakarta.validation.constraints.Min(1)
                    @jakarta.validation.constraints.Max(200)
                    int limit,
            @QueryParam("cursor") String cursor) {
        UUID after = Cursors.after(cursor, UUID::fromString);
        Optional<String> scope = caller.retailerScope(retailerId);
        return payments.list(scope.orElse(null), status, after, limit + 1)
                .map(rows -> Page.of(rows, limit, p -> new Object[] {p.paymentId()}));
    }

    @POST
    @Path("{paymentId}/retry")
    // Charges a card: the retailer for its own, or an admin. Support reads.
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(
            summary = "Try a payment on hold again now (after the retailer fixed or changed its card)",
            description = "409 unless the payment is ON_HOLD.")
    public Uni<Payment> retry(@PathParam("paymentId") UUID paymentId) {
        Optional<String> scope = caller.retailerScope(null);
        return payments.retryNow(paymentId, scope.orElse(null)).invoke(money::wake);
    }
}
