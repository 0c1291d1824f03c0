package io.dropship.settlement.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.settlement.domain.Plan;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
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

@Path("/api")
@Tag(name = "Invoices")
@Produces(MediaType.APPLICATION_JSON)
public class InvoiceResource {

    public record InvoiceLine(UUID supplierOrderId, String supplierId, String plan, BigDecimal wholesaleTotal,
                              BigDecimal shippingCost, BigDecimal platformFee, BigDecimal retailerCharge) {
    }

    public record Invoice(UUID orderId, String orderNumber, String retailerId, String currency, List<InvoiceLine> lines,
                          BigDecimal total, Instant issuedAt) {
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
    @Operation(summary = "The retailer's invoice for an order: a line per shipped supplier order")
    public Uni<Invoice> invoice(@PathParam("orderId") UUID orderId) {
        Optional<String> scope = caller.retailerScope(null);
        return sessions.withSession(s -> s.createNativeQuery("select supplier_order_id, supplier_id, plan, wholesale_total,"
                        + " shipping_cost, platform_fee, retailer_charge, order_number, retailer_id, currency, created_at"
                        + " from invoice_line where order_id = :o order by created_at, supplier_order_id", Object[].class)
                .setParameter("o", orderId).getResultList())
                .map(rows -> {
                    if (rows.isEmpty() || scope.map(r -> !r.equals(rows.get(0)[8])).orElse(false)) {
                        throw ProblemException.notFound("an invoice for order " + orderId);
                    }
                    List<InvoiceLine> lines = rows.stream().map(r -> new InvoiceLine((UUID) r[0], (String) r[1],
                            (String) r[2], (BigDecimal) r[3], (BigDecimal) r[4], (BigDecimal) r[5], (BigDecimal) r[6])).toList();
                    Object[] first = rows.get(0);
                    Object issued = rows.get(rows.size() - 1)[10];
                    return new Invoice(orderId, (String) first[7], (String) first[8], (String) first[9], lines,
                            lines.stream().map(InvoiceLine::retailerCharge).reduce(BigDecimal.ZERO, BigDecimal::add),
                            issued instanceof OffsetDateTime odt ? odt.toInstant() : (Instant) issued);
                });
    }

    @PUT
    @Path("retailers/{retailerId}/plan")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Put a retailer on a plan (BASIC unless set)")
    public Uni<PlanChange> plan(@PathParam("retailerId") String retailerId, @Valid @NotNull PlanChange change) {
        return sessions.withTransaction(s -> s.createNativeQuery("insert into retailer_plan (retailer_id, plan, updated_at)"
                        + " values (:r, :p, now()) on conflict (retailer_id) do update set plan = excluded.plan, updated_at = now()")
                .setParameter("r", retailerId).setParameter("p", change.plan().name()).executeUpdate())
                .replaceWith(change);
    }
}
