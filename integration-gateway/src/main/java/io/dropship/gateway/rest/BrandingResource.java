package io.dropship.gateway.rest;

import io.dropship.gateway.accounts.Retailers;
import io.dropship.gateway.accounts.Retailers.Branding;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
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
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * How the platform's e-mails to a retailer's team look: the retailer's name, logo and colour (the company name and
 * the platform's colour until set).
 */
@Path("/api/retailers/{retailerId}/branding")
@Tag(name = "Retailers")
@Produces(MediaType.APPLICATION_JSON)
public class BrandingResource {

    private final Retailers retailers;
    private final Caller caller;

    public BrandingResource(Retailers retailers, Caller caller) {
        this.retailers = retailers;
        this.caller = caller;
    }

    private void own(String retailerId) {
        if (!caller.isStaff() && !retailerId.equals(caller.retailerClaim().orElse(null))) {
            throw ProblemException.notFound("retailer " + retailerId);
        }
    }

    @GET
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(summary = "The retailer's branding for the e-mails to its team (a retailer its own)")
    public Uni<Branding> get(@PathParam("retailerId") String retailerId) {
        own(retailerId);
        return retailers.branding(retailerId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(
            summary =
                    "Set the retailer's name, logo and colour for the e-mails to its team (a retailer its own, or an admin)")
    public Uni<Branding> put(@PathParam("retailerId") String retailerId, @Valid @NotNull Branding branding) {
        own(retailerId);
        return retailers.brand(retailerId, branding);
    }
}
