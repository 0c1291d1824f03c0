package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.billing.Subscriptions;
import io.dropship.settlement.service.Invoices;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** How a retailer pays (its Stripe customer and saved method) and how a supplier is paid (its connected account). */
@Path("/api/billing")
@Tag(name = "Billing")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class BillingResource {

    public record PaymentMethod(
            @NotBlank @Email String email,

            @NotNull @Pattern(regexp = "pm_[A-Za-z0-9_]{3,200}")
            String paymentMethodId) {}

    public record Connect(@NotBlank @Email String email) {}

    private final Parties parties;
    private final Caller caller;
    private final Invoices invoices;
    private final Subscriptions subscriptions;

    public BillingResource(Parties parties, Caller caller, Invoices invoices, Subscriptions subscriptions) {
        this.parties = parties;
        this.caller = caller;
        this.invoices = invoices;
        this.subscriptions = subscriptions;
    }

    @PUT
    @Path("payment-method")
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary =
                    "Save the payment method orders are charged to, off-session (a Stripe PaymentMethod id from Stripe.js)",
            description = "The first call makes the retailer a Stripe customer; later calls change its default method.")
    public Uni<Parties.RetailerBilling> savePaymentMethod(@Valid @NotNull PaymentMethod body) {
        String retailer = caller.retailerId();
        // The subscription's unpaid invoices are paid with the new method now (what lifts a suspension); a decline
        // leaves them to Stripe's retries and does not undo the save.
        return parties.saveRetailer(retailer, body.email(), body.paymentMethodId())
                .call(saved -> subscriptions
                        .payOpenInvoices(retailer)
                        .onFailure()
                        .recoverWithItem(e -> {
                            org.jboss.logging.Logger.getLogger(BillingResource.class)
                                    .infof(
                                            "open subscription invoices of %s not paid" + " with the new method: %s",
                                            retailer, e.getMessage());
                            return null;
                        }));
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
    @Operation(
            summary =
                    "Start (or go on with) Stripe onboarding: the supplier's connected account and a fresh onboarding link",
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

    @PUT
    @Path("branding")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary =
                    "How the retailer's invoices and packing slips look: business name, address lines, tax id, colour, footer")
    public Uni<Invoices.Branding> saveBranding(@Valid @NotNull InvoiceResource.BrandingChange b) {
        String retailer = caller.retailerId();
        Invoices.Branding saved = new Invoices.Branding(
                b.businessName().strip(),
                b.addressLines() == null ? List.of() : b.addressLines(),
                b.taxId(),
                b.accentColor() == null ? "#1F4E79" : b.accentColor().toUpperCase(java.util.Locale.ROOT),
                b.footer());
        return invoices.saveBranding(retailer, saved);
    }

    @GET
    @Path("branding")
    @RolesAllowed(Roles.RETAILER)
    @Operation(summary = "The retailer's invoice branding (404 before it is set)")
    public Uni<Invoices.Branding> branding() {
        return invoices.branding(caller.retailerId()).map(b -> {
            if (b == null) {
                throw ProblemException.notFound("invoice branding; set it with PUT /api/billing/branding");
            }
            return b;
        });
    }
}
