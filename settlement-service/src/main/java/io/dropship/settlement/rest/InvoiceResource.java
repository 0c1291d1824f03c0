package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.domain.Plan;
import io.smallrye.mutiny.Uni;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import io.dropship.settlement.service.InvoicePdf;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Path("/api")
@Tag(name = "Invoices")
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceResource {

    /**
     * A line per supplier order: status INVOICED (charged or to be), SETTLED (its supplier paid) or CANCELLED; overLimit:
     * the order came past the plan's monthly order limit and carries the BASIC fee.
     */
    public record InvoiceLine(UUID supplierOrderId, String supplierId, String plan, BigDecimal wholesaleTotal,
                              BigDecimal shippingCost, BigDecimal platformFee, BigDecimal tax, BigDecimal retailerCharge,
                              String status, boolean refunded, boolean overLimit) {
    }

    /**
     * paymentStatus: PAID (every charge went through), DUE (not tried yet), ON_HOLD (a charge failed; see
     * /api/billing/payments), CANCELLED (nothing was taken). total counts what was charged or is to be; refunded
     * what was given back.
     */
    public record Invoice(UUID orderId, String orderNumber, String retailerId, String currency, List<InvoiceLine> lines,
                          BigDecimal total, BigDecimal refunded, String paymentStatus, Branding branding, Instant issuedAt) {
    }

    /** How the retailer's invoices look. */
    public record Branding(String businessName, List<String> addressLines, String taxId, String accentColor, String footer) {
    }

    public record BrandingChange(@NotBlank @Size(max = 120) String businessName,
                                 @Size(max = 5) List<@NotNull @Size(max = 120) String> addressLines,
                                 @Size(max = 40) String taxId,
                                 @Pattern(regexp = "#[0-9A-Fa-f]{6}") String accentColor,
                                 @Size(max = 300) String footer) {
    }

    public record PlanChange(@NotNull Plan plan) {
    }

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    public InvoiceResource(Mutiny.SessionFactory sessions, Caller caller) {
        this.sessions = sessions;
        this.caller = caller;
    }

    @GET
    @Path("invoices/{orderId}")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The retailer's invoice for an order: a line per supplier order, with its payment and branding")
    public Uni<Invoice> invoice(@PathParam("orderId") UUID orderId) {
        Optional<String> scope = caller.retailerScope(null);
        return sessions.withSession(s -> s.createNativeQuery("select i.supplier_order_id, i.supplier_id, i.plan,"
                                + " i.wholesale_total, i.shipping_cost, i.platform_fee, i.retailer_charge, i.order_number,"
                                + " i.retailer_id, i.currency, i.created_at, a.status, a.refund_id, p.status, i.over_limit"
                                + " from invoice_line i join supplier_order_account a on a.supplier_order_id = i.supplier_order_id"
                                + " left join payment p on p.id = a.payment_id"
                                + " where i.order_id = :orderId order by i.created_at, i.supplier_order_id", Object[].class)
                        .setParameter("orderId", orderId).getResultList()
                        .chain(rows -> {
                            if (rows.isEmpty() || scope.map(r -> !r.equals(rows.get(0)[8])).orElse(false)) {
                                throw ProblemException.notFound("an invoice for order " + orderId);
                            }
                            String retailer = (String) rows.get(0)[8];
                            return branding(s, retailer).map(b -> invoice(orderId, rows, b));
                        }));
    }

    @GET
    @Path("invoices/{orderId}/pdf")
    @Produces("application/pdf")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The same invoice as a PDF, in the retailer's branding")
    public Uni<Response> pdf(@PathParam("orderId") UUID orderId) {
        return invoice(orderId).chain(i -> Uni.createFrom().item(() -> InvoicePdf.render(i))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .map(bytes -> Response.ok(bytes, "application/pdf").header("Content-Disposition",
                                "inline; filename=\"invoice-" + (i.orderNumber() == null ? orderId : i.orderNumber()) + ".pdf\"").build()));
    }

    static Uni<Branding> branding(Mutiny.Session s, String retailer) {
        return s.createNativeQuery("select business_name, address_lines, tax_id, accent_color, footer from retailer_branding"
                        + " where retailer_id = :retailerId", Object[].class).setParameter("retailerId", retailer).getResultList()
                .map(rows -> rows.isEmpty() ? null : new Branding((String) rows.get(0)[0],
                        ((String) rows.get(0)[1]).isEmpty() ? List.of() : List.of(((String) rows.get(0)[1]).split("\n")),
                        (String) rows.get(0)[2], (String) rows.get(0)[3], (String) rows.get(0)[4]));
    }

    private static Invoice invoice(UUID orderId, List<Object[]> rows, Branding branding) {
        List<InvoiceLine> lines = new java.util.ArrayList<>();
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal refunded = BigDecimal.ZERO;
        java.util.Set<String> payments = new java.util.HashSet<>();
        for (Object[] r : rows) {
            String status = (String) r[11];
            boolean wasRefunded = r[12] != null;
            BigDecimal charge = (BigDecimal) r[6];
            lines.add(new InvoiceLine((UUID) r[0], (String) r[1], (String) r[2], (BigDecimal) r[3], (BigDecimal) r[4],
                    (BigDecimal) r[5], null, charge, status, wasRefunded, (Boolean) r[14]));
            if (!"CANCELLED".equals(status) || wasRefunded) {
                total = total.add(charge);
            }
            if (wasRefunded) {
                refunded = refunded.add(charge);
            }
            if (r[13] != null) {
                payments.add((String) r[13]);
            }
        }
        payments.remove("CANCELLED");
        String paymentStatus = payments.isEmpty() ? "CANCELLED" : payments.contains("ON_HOLD") ? "ON_HOLD"
                : payments.contains("DUE") ? "DUE" : "PAID";
        Object[] first = rows.get(0);
        Object issued = rows.get(rows.size() - 1)[10];
        return new Invoice(orderId, (String) first[7], (String) first[8], (String) first[9], lines, total, refunded,
                paymentStatus, branding, PaymentResource.instant(issued));
    }

    @PUT
    @Path("retailers/{retailerId}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Put a retailer on a plan (BASIC unless set)")
    public Uni<PlanChange> plan(@PathParam("retailerId") String retailerId, @Valid @NotNull PlanChange change) {
        return sessions.withTransaction(s -> s.createNativeQuery("insert into retailer_plan (retailer_id, plan, updated_at)"
                        + " values (:retailerId, :p, now()) on conflict (retailer_id) do update set plan = excluded.plan, updated_at = now()")
                .setParameter("retailerId", retailerId).setParameter("p", change.plan().name()).executeUpdate())
                .replaceWith(change);
    }
}
