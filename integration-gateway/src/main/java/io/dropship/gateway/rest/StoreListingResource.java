package io.dropship.gateway.rest;

import io.dropship.gateway.listings.StoreListings;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The listings the gateway keeps in a retailer's store, with each one's sync state and the store's ids for it. */
@Path("/api/stores/{storeId}/listings")
@Tag(name = "Store listings")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RETAILER)
public class StoreListingResource {

    private final StoreListings listings;
    private final StoreConnections stores;
    private final Caller caller;

    public StoreListingResource(StoreListings listings, StoreConnections stores, Caller caller) {
        this.listings = listings;
        this.stores = stores;
        this.caller = caller;
    }

    @GET
    @Operation(
            summary = "The store's listings and their sync state: PENDING, SYNCED, or ERROR with the store's message",
            description = "By listing id; filter with syncStatus.")
    public Uni<Page<StoreListings.View>> list(
            @PathParam("storeId") String storeId,
            @QueryParam("syncStatus") @Pattern(regexp = "PENDING|SYNCED|ERROR") String syncStatus,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        String after = Cursors.after(cursor);
        return own(storeId)
                .chain(() -> listings.of(storeId, syncStatus, after, limit + 1))
                .map(items -> Page.of(items, limit, v -> new Object[] {v.listingId()}));
    }

    @POST
    @Path("{listingId}/sync")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Sync a listing that is not SYNCED again now, for example after fixing what the store refused")
    public Uni<Response> sync(@PathParam("storeId") String storeId, @PathParam("listingId") String listingId) {
        return own(storeId)
                .chain(() -> listings.retryNow(storeId, listingId))
                .map(v -> Response.accepted().build());
    }

    private Uni<Void> own(String storeId) {
        return stores.of(caller.retailerId())
                .invoke(mine -> {
                    if (mine.stream().noneMatch(s -> s.id.equals(storeId))) {
                        throw ProblemException.notFound("store " + storeId);
                    }
                })
                .replaceWithVoid();
    }
}
