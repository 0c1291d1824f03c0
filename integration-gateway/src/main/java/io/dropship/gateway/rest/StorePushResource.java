package io.dropship.gateway.rest;

import io.dropship.gateway.stores.StorePushes;
import io.dropship.gateway.stores.StorePushes.PushView;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the gateway has told, or still owes, a store: so a retailer or support agent sees why tracking is missing. */
@Path("/api/stores/{storeId}/pushes")
@Tag(name = "Store connections")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
public class StorePushResource {

    private final StorePushes pushes;
    private final Caller caller;

    public StorePushResource(StorePushes pushes, Caller caller) {
        this.pushes = pushes;
        this.caller = caller;
    }

    @GET
    @Operation(
            summary =
                    "Calls to the store (tracking), newest first, optionally by status: PENDING, IN_FLIGHT, DONE, FAILED")
    public Uni<Page<PushView>> list(
            @PathParam("storeId") String storeId,
            @QueryParam("status") @Pattern(regexp = "PENDING|IN_FLIGHT|DONE|FAILED") String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        Long before = Cursors.after(cursor, Long::valueOf);
        return pushes.list(storeId, caller.isStaff() ? null : caller.retailerId(), status, before, limit + 1)
                .map(rows -> Page.of(rows, limit, v -> new Object[] {v.id()}));
    }

    @POST
    @Path("{pushId}/retry")
    @Operation(summary = "Try a FAILED call to the store again now, for example after the store's token was fixed")
    public Uni<PushView> retry(@PathParam("storeId") String storeId, @PathParam("pushId") long pushId) {
        return pushes.retryNow(storeId, caller.isStaff() ? null : caller.retailerId(), pushId);
    }
}
