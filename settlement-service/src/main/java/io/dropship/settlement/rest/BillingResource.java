package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.stripe.Parties;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How a retailer pays (its Stripe customer and saved method) and how a supplier is paid (its connected account). */
@Path("/api/billing")
@Tag(name = "Billing")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BillingResource {

    public record PaymentMethod(@NotBlank @Email String email,
                                @NotNull @Pattern(regexp = "pm_[A-Za-z0-9_]{3,200}") String paymentMethodId) {
    }

    public record Connect(@NotBlank @Email String email) {
    }

    private final Parties parties;
    private final Caller caller;

    public BillingResource(Parties parties, Caller caller) {
        this.parties = parties;
        this.caller = caller;
    }

    @PUT
    @Path("payment-method")
    @RolesAllowed(Roles.RETAILER)
    @Operation(summary = "Save the payment method orders are charged to, off-session (a Stripe PaymentMethod id from Stripe.js)",
            description = "The first call makes the retailer a Stripe customer; later calls change its default method.")
    public Uni<Parties.RetailerBilling> savePaymentMethod(@Valid @NotNull PaymentMethod body) {
        return parties.saveRetailer(caller.retailerId(), body.email(), body.paymentMethodId());
    }

    @GET
    @Path("payment-method")
    @RolesAllowed(Roles.RETAILER)
    @Operation(summary = "The retailer's Stripe customer and default payment method (404 before one is saved)")
    public Uni<Parties.RetailerBilling> paymentMethod() {
        return parties.retailer(caller.retailerId()).map(b -> {
            if (b == null) {
                throw ProblemException.notFound("payment method; save one with PUT /api/billing/payment-method");
            }
            return b;
        });
    }

    @POST
    @Path("connect")
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(summary = "Start (or go on with) Stripe onboarding: the supplier's connected account and a fresh onboarding link",
            description = "Open onboardingUrl in a browser. The account's status follows Stripe's account.updated.")
    public Uni<Parties.SupplierPayouts> connect(@Valid @NotNull Connect body) {
        return parties.connectSupplier(caller.supplierId(), body.email());
    }

    @GET
    @Path("connect")
    @RolesAllowed(Roles.SUPPLIER)
    @Operation(summary = "The supplier's connected account and whether it can be paid (404 before onboarding starts)")
    public Uni<Parties.SupplierPayouts> account() {
        return parties.supplier(caller.supplierId()).map(a -> {
            if (a == null) {
                throw ProblemException.notFound("connected account; start with POST /api/billing/connect");
            }
            return a;
        });
    }
}
