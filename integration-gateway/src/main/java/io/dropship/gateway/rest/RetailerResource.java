package io.dropship.gateway.rest;

import io.dropship.gateway.accounts.Retailers;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Retailers as records, for the admin and support consoles; a retailer may read its own. */
@Path("/api/retailers")
@Tag(name = "Retailers")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RetailerResource {

    public record Suspension(@NotBlank @Size(max = 500) String reason) {}

    private final Retailers retailers;
    private final Caller caller;

    public RetailerResource(Retailers retailers, Caller caller) {
        this.retailers = retailers;
        this.caller = caller;
    }

    @GET
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "Retailers by id, a page at a time; status ACTIVE or SUSPENDED")
    public Uni<Page<Retailers.RetailerView>> list(
            @QueryParam("status") @Pattern(regexp = "ACTIVE|SUSPENDED") String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit,
            @QueryParam("cursor") String cursor) {
        return retailers
                .list(status, Cursors.after(cursor), limit + 1)
                .map(rows -> Page.of(rows, limit, r -> new Object[] {r.retailerId()}));
    }

    @GET
    @Path("{retailerId}")
    @RolesAllowed({Roles.ADMIN, Roles.SUPPORT, Roles.RETAILER})
    @Operation(summary = "One retailer: company, contact, status and why, accounts")
    public Uni<Retailers.RetailerView> get(@PathParam("retailerId") String retailerId) {
        if (!caller.isStaff() && !retailerId.equals(caller.retailerId())) {
            throw ProblemException.notFound("retailer " + retailerId);
        }
        return retailers.get(retailerId);
    }

    @POST
    @Path("{retailerId}/suspend")
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary =
                    "Suspend a retailer: its sessions end, its calls are refused with the reason, its stores' new orders"
                            + " are not taken in")
    public Uni<Retailers.RetailerView> suspend(
            @PathParam("retailerId") String retailerId, @Valid @NotNull Suspension body) {
        return retailers.suspend(retailerId, body.reason(), caller.name());
    }

    @POST
    @Path("{retailerId}/reinstate")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Reinstate a suspended retailer")
    public Uni<Retailers.RetailerView> reinstate(@PathParam("retailerId") String retailerId) {
        return retailers.reinstate(retailerId, caller.name());
    }
}
