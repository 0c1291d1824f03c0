package io.dropship.order.rest;

import io.dropship.order.service.HeldOrders;
import io.dropship.order.service.OrderRouter;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * What support or the retailer does with a held order by hand: route a held line to a chosen supplier product, or
 * point it at another listing; each action is kept with who did it and why.
 */
@Path("/api/orders/{id}")
@Tag(name = "Orders")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
public class HeldOrderResource {

    public record RouteByHand(
            @NotBlank @Size(max = 40) String supplierId,
            @NotBlank @Size(max = 100) String sku,
            @NotBlank @Size(max = 1000) String reason) {}

    public record Substitute(
            @NotBlank @Size(max = 40) String listingId,
            @NotBlank @Size(max = 1000) String reason) {}

    private final HeldOrders held;
    private final OrderResource orders;
    private final Caller caller;
    private final Mutiny.SessionFactory sessions;

    public HeldOrderResource(HeldOrders held, OrderResource orders, Caller caller, Mutiny.SessionFactory sessions) {
        this.held = held;
        this.orders = orders;
        this.caller = caller;
        this.sessions = sessions;
    }

    private HeldOrders.Actor actor() {
        return new HeldOrders.Actor(
                caller.is(Roles.ADMIN) ? "ADMIN" : caller.is(Roles.SUPPORT) ? "SUPPORT" : "RETAILER", caller.name());
    }

    @POST
    @Path("lines/{lineId}/route")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Route a held order's line to a supplier product chosen by hand (support, admin, or the retailer)",
            description = "Checked as any routing: the supplier and its product active, priced in the order's currency "
                    + "(422 not-routable otherwise, nothing changes). The order's other open lines are routed with it; it "
                    + "stays ON_HOLD when one of them still cannot be. 409 when the order is not held or the line is "
                    + "already with a supplier. Recorded with who and why (GET .../actions).")
    public Uni<OrderResource.OrderStatusView> route(
            @PathParam("id") UUID id, @PathParam("lineId") String lineId, @Valid @NotNull RouteByHand request) {
        return sessions.withTransaction(s -> held.routeByHand(
                        s,
                        id,
                        caller.retailerScope(null),
                        lineId,
                        new OrderRouter.Pin(request.supplierId(), request.sku()),
                        actor(),
                        request.reason()))
                .chain(() -> orders.status(id));
    }

    @POST
    @Path("lines/{lineId}/substitute")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Point a held order's line at another of the retailer's listings and route it again",
            description =
                    "422 not-routable when the listing is not the retailer's or not active; 409 as for routing by "
                            + "hand. Recorded with who and why.")
    public Uni<OrderResource.OrderStatusView> substitute(
            @PathParam("id") UUID id, @PathParam("lineId") String lineId, @Valid @NotNull Substitute request) {
        return sessions.withTransaction(s -> held.substitute(
                        s, id, caller.retailerScope(null), lineId, request.listingId(), actor(), request.reason()))
                .chain(() -> orders.status(id));
    }

    @GET
    @Path("actions")
    @Operation(summary = "What was done to the order by hand: who, what, why and with what outcome, oldest first")
    public Uni<Page<HeldOrders.Action>> actions(
            @PathParam("id") UUID id,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("cursor") String cursor) {
        // The order is looked up first, so another retailer's order is a 404 like any.
        return orders.status(id)
                .chain(v -> sessions.withSession(s -> held.actions(s, id)))
                .map(all -> Page.slice(all, limit, cursor));
    }
}
