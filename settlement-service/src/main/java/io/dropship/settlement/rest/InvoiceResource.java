package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.domain.Plan;
import io.dropship.settlement.service.InvoicePdf;
import io.dropship.settlement.service.Invoices;
import io.dropship.settlement.service.Invoices.Invoice;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api")
@Tag(name = "Invoices")
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceResource {

    public record BrandingChange(
            @NotBlank @Size(max = 120) String businessName,
            @Size(max = 5) List<@NotNull @Size(max = 120) String> addressLines,
            @Size(max = 40) String taxId,
            @Pattern(regexp = "#[0-9A-Fa-f]{6}") String accentColor,
            @Size(max = 300) String footer) {}

    public record PlanChange(@NotNull Plan plan) {}

    private final Invoices invoices;
    private final Caller caller;

    public InvoiceResource(Invoices invoices, Caller caller) {
        this.invoices = invoices;
        this.caller = caller;
    }

    @GET
    @Path("invoices/{orderId}")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary = "The retailer's invoice for an order: a line per supplier order, with its payment and branding")
    public Uni<Invoice> invoice(@PathParam("orderId") UUID orderId) {
        Optional<String> scope = caller.retailerScope(null);
        return invoices.invoice(orderId, caller.retailerScope(null).orElse(null));
    }

    @GET
    @Path("invoices/{orderId}/pdf")
    @Produces("application/pdf")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The same invoice as a PDF, in the retailer's branding")
    public Uni<Response> pdf(@PathParam("orderId") UUID orderId) {
        return invoice(orderId)
                .chain(i -> Uni.createFrom()
                        .item(() -> InvoicePdf.render(i))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .map(bytes -> Response.ok(bytes, "application/pdf")
                                .header(
                                        "Content-Disposition",
                                        "inline; filename=\"invoice-"
                                                + (i.orderNumber() == null ? orderId : i.orderNumber()) + ".pdf\"")
                                .build()));
    }

    @PUT
    @Path("retailers/{retailerId}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Put a retailer on a plan (BASIC unless set)")
    public Uni<PlanChange> plan(@PathParam("retailerId") String retailerId, @Valid @NotNull PlanChange change) {
        return invoices.putOnPlan(retailerId, change.plan()).replaceWith(change);
    }
}
