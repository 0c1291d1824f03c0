package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.domain.ReturnPolicy;
import io.dropship.settlement.service.ReturnPolicies;
import io.dropship.settlement.service.Returns;
import io.dropship.settlement.service.Returns.Return;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Returns of shipped supplier orders. The supplier's return policy says what it gives back: nothing past its window,
 * the wholesale less its restocking fee, and the shipping if it says so. That much is reversed from its transfer and
 * refunded to the retailer from the order's charge; the platform keeps its fee. StripeCalls makes the two Stripe calls.
 */
@Path("/api")
@Tag(name = "Returns")
@Produces(MediaType.APPLICATION_JSON)
public class ReturnResource {

    /** returnShippingPaidBy: who pays for the parcel back, RETAILER (the default) or SUPPLIER (its instructions say how). */
    public record Policy(
            boolean acceptsReturns,
            @Min(0) @Max(365) int windowDays,
            boolean refundShipping,
            @NotNull @DecimalMin("0") @DecimalMax("100") BigDecimal restockingFeePercent,

            @jakarta.validation.constraints.Pattern(regexp = "RETAILER|SUPPLIER", message = "is RETAILER or SUPPLIER")
            String returnShippingPaidBy) {}

    public record ReturnRequest(
            @NotNull UUID supplierOrderId,
            @NotBlank @Size(max = 300) String reason) {}

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;
    private final ReturnPolicies policies;
    private final Returns returns;

    public ReturnResource(Mutiny.SessionFactory sessions, Caller caller, ReturnPolicies policies, Returns returns) {
        this.sessions = sessions;
        this.caller = caller;
        this.policies = policies;
        this.returns = returns;
    }

    @PUT
    @Path("supplier/return-policy")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(
            summary =
                    "The supplier's return policy: window in days after shipping, shipping refunded or not, restocking fee %")
    public Uni<Policy> savePolicy(@Valid @NotNull Policy p) {
        ReturnPolicy policy = new ReturnPolicy(
                p.acceptsReturns(),
                p.windowDays(),
                p.refundShipping(),
                p.restockingFeePercent(),
                p.returnShippingPaidBy());
        return sessions.withTransaction(s -> policies.save(s, caller.supplierId(), policy))
                .chain(this::policy);
    }

    @GET
    @Path("supplier/return-policy")
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(summary = "The supplier's return policy (30 days, wholesale only, no fee until it sets one)")
    public Uni<Policy> policy() {
        return sessions.withSession(s -> ReturnPolicies.of(s, caller.supplierId()))
                .map(p -> new Policy(
                        p.acceptsReturns(),
                        p.windowDays(),
                        p.refundShipping(),
                        p.restockingFeePercent(),
                        p.returnShippingPaidBy()));
    }

    @POST
    @Path("returns")
    @Consumes(MediaType.APPLICATION_JSON)
    // Moves money (a reversal and a refund): the retailer for its own, or an admin. Support reads.
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(
            summary =
                    "Return a shipped supplier order: its supplier gives back what its policy says, the retailer is refunded that",
            description = "409 if the supplier order has not been paid out yet, was returned already, or the supplier's"
                    + " policy does not take it back (no returns, or past its window).")
    public Uni<Return> requestReturn(@Valid @NotNull ReturnRequest r) {
        String scope = caller.retailerScope(null).orElse(null);
        String by = caller.isStaff() ? "staff" : "retailer " + caller.retailerId();
        return sessions.withTransaction(s ->
                returns.request(s, scope, by, r.supplierOrderId(), r.reason().strip()));
    }

    @GET
    @Path("returns")
    @RolesAllowed({Roles.RETAILER, Roles.SUPPLIER, Roles.SUPPORT, Roles.ADMIN})
    @Operation(summary = "Returns, newest first: a retailer's own, a supplier's own, or any for staff")
    public Uni<Page<Return>> list(
            @QueryParam("supplierOrderId") UUID supplierOrderId,
            @QueryParam("limit")
                    @jakarta.ws.rs.DefaultValue("50")
                    @jakarta.validation.constraints.Min(1)
                    @jakarta.validation.constraints.Max(200)
                    int limit,
            @QueryParam("cursor") String cursor) {
        UUID after = Cursors.after(cursor, UUID::fromString);
        boolean supplierCaller = !caller.isStaff() && caller.is(Roles.SUPPLIER);
        String retailer = caller.isStaff() || supplierCaller ? null : caller.retailerId();
        String supplier = supplierCaller ? caller.supplierId() : null;
        return sessions.withSession(s -> returns.list(s, retailer, supplier, supplierOrderId, after, limit + 1))
                .map(rows -> Page.of(rows, limit, r -> new Object[] {r.returnId()}));
    }
}
