package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.domain.CreditTerms;
import io.dropship.settlement.service.RetailerCredits;
import io.dropship.settlement.service.RetailerCredits.Terms;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Credit terms: by default a retailer's supplier orders go to their suppliers only once the retailer's payment for
 * them went through. Platform staff (ADMIN, a money decision) may let a trusted retailer's orders go first, up to a
 * limit of unpaid dispatched payments in one currency.
 */
@Path("/api/retailers/{retailerId}/credit-terms")
@Tag(name = "Billing")
@Produces(MediaType.APPLICATION_JSON)
public class CreditTermsResource {

    public record TermsChange(
            @NotNull @Pattern(regexp = "[A-Z]{3}", message = "is an ISO 4217 code such as USD")
            String currency,

            @NotNull @DecimalMin("0.00") @DecimalMax("1000000000") @Digits(integer = 12, fraction = 2)
            BigDecimal limit) {}

    private final RetailerCredits credits;
    private final Caller caller;

    public CreditTermsResource(RetailerCredits credits, Caller caller) {
        this.credits = credits;
        this.caller = caller;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Let the retailer's supplier orders go to suppliers before the payment is taken, up to a limit")
    public Uni<Terms> put(@PathParam("retailerId") String retailerId, @Valid @NotNull TermsChange change) {
        new CreditTerms(change.currency(), change.limit());
        return credits.grant(retailerId, change.currency(), change.limit(), caller.name());
    }

    @DELETE
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "End the retailer's credit terms: its supplier orders wait for their payment again")
    public Uni<Void> delete(@PathParam("retailerId") String retailerId) {
        return credits.end(retailerId);
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.RETAILER})
    @Operation(
            summary =
                    "The retailer's credit terms and what is outstanding on them (a retailer its own; 404 without terms)")
    public Uni<Terms> get(@PathParam("retailerId") String retailerId) {
        if (!caller.isStaff() && !retailerId.equals(caller.retailerId())) {
            return Uni.createFrom().failure(ProblemException.notFound("credit terms of retailer " + retailerId));
        }
        return credits.terms(retailerId);
    }
}
