package io.dropship.gateway.rest;

import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * How the platform's e-mails to a retailer's team look: the retailer's name, logo and colour (the company name and
 * the platform's colour until set).
 */
@Path("/api/retailers/{retailerId}/branding")
@Tag(name = "Retailers")
@Produces(MediaType.APPLICATION_JSON)
public class BrandingResource {

    /** logoUrl: an https image; color: #RRGGBB. Null fields fall back to the company name and the platform's look. */
    public record Branding(@Size(max = 200) String name,
                           @Size(max = 500) @Pattern(regexp = "https://[^\\s\"'<>]+", message = "is an https URL") String logoUrl,
                           @Pattern(regexp = "#[0-9a-fA-F]{6}", message = "is a colour as #RRGGBB") String color) {
    }

    private final Mutiny.SessionFactory sessions;
    private final Caller caller;

    public BrandingResource(Mutiny.SessionFactory sessions, Caller caller) {
        this.sessions = sessions;
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
        return read(retailerId);
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN})
    @Operation(summary = "Set the retailer's name, logo and colour for the e-mails to its team (a retailer its own, or an admin)")
    public Uni<Branding> put(@PathParam("retailerId") String retailerId, @Valid @NotNull Branding branding) {
        own(retailerId);
        return sessions.withTransaction(s -> s.createNativeQuery("update retailer set brand_name = :n, brand_logo_url = :l,"
                                + " brand_color = :c, updated_at = now() where id = :retailerId")
                        .setParameter("n", blankToNull(branding.name())).setParameter("l", branding.logoUrl())
                        .setParameter("c", branding.color() == null ? null : branding.color().toLowerCase())
                        .setParameter("retailerId", retailerId).executeUpdate())
                .chain(n -> {
                    if (n == 0) {
                        throw ProblemException.notFound("retailer " + retailerId);
                    }
                    return read(retailerId);
                });
    }

    private Uni<Branding> read(String retailerId) {
        return sessions.withSession(s -> s.createNativeQuery("select coalesce(brand_name, company), brand_logo_url, brand_color"
                        + " from retailer where id = :retailerId", Object[].class).setParameter("retailerId", retailerId).getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("retailer " + retailerId);
                    }
                    Object[] r = rows.get(0);
                    return new Branding((String) r[0], (String) r[1], (String) r[2]);
                });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
