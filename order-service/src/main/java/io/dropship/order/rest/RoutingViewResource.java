package io.dropship.order.rest;

import io.dropship.order.service.RoutingViews;
import io.dropship.order.service.RoutingViews.ListingView;
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

/** For support and admins: what routing sees of a listing, as projected from the catalog's events. */
@Path("/api/routing/listings")
@Tag(name = "Routing")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
public class RoutingViewResource {

    private final RoutingViews views;

    public RoutingViewResource(RoutingViews views) {
        this.views = views;
    }

    @GET
    @Path("{listingId}")
    @Operation(
            summary =
                    "A listing's offers in priority order, with each supplier's and product's state as routing sees it")
    public Uni<ListingView> listing(@PathParam("listingId") String listingId) {
        return views.listing(listingId);
    }
}
