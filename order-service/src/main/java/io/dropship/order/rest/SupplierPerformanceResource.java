package io.dropship.order.rest;

import io.dropship.order.service.SupplierPerformance;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Supplier performance over the rolling window: for admins and support across suppliers, for a supplier its own. */
@Path("/api/supplier-performance")
@Tag(name = "Supplier performance")
@Produces(MediaType.APPLICATION_JSON)
public class SupplierPerformanceResource {

    private final SupplierPerformance performance;
    private final Caller caller;

    public SupplierPerformanceResource(SupplierPerformance performance, Caller caller) {
        this.performance = performance;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary =
                    "Every supplier with orders in the window: speed, rejection, on-time and cancellation rates, reliability")
    public Uni<Page<SupplierPerformance.Stats>> all(
            @jakarta.ws.rs.QueryParam("limit")
                    @jakarta.ws.rs.DefaultValue("100")
                    @jakarta.validation.constraints.Min(1)
                    @jakarta.validation.constraints.Max(500)
                    int limit,
            @jakarta.ws.rs.QueryParam("cursor") String cursor) {
        return performance.stats(null).map(l -> Page.slice(l, limit, cursor));
    }

    @GET
    @Path("{supplierId}")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.SUPPLIER})
    @Operation(
            summary = "One supplier's performance over the window, and the reliability routing uses",
            description =
                    "A supplier sees only its own. With no orders in the window every rate is empty and reliability is 1.")
    public Uni<SupplierPerformance.Stats> one(@PathParam("supplierId") String supplierId) {
        if (caller.is(Roles.SUPPLIER) && !supplierId.equals(caller.supplierId())) {
            throw ProblemException.forbidden("a supplier sees only its own performance");
        }
        return performance.stats(supplierId).map(list -> list.isEmpty() ? performance.empty(supplierId) : list.get(0));
    }
}
