package io.dropship.catalog.rest;

import io.dropship.catalog.categories.Categories;
import io.dropship.catalog.directory.SupplierProfiles;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The supplier directory retailers browse, the profile suppliers keep there, and the placement admins give. */
@Path("/api/directory/suppliers")
@Tag(name = "Supplier directory")
@Produces(MediaType.APPLICATION_JSON)
public class DirectoryResource {

    private static final String HTTPS = "https://[^\\s<>\"]{1,490}";

    public record ProfileRequest(
            @Schema(description = "the profile's address: lower-case letters, digits and dashes")
            @Size(min = 3, max = 60)
            @Pattern(regexp = "[a-z0-9]+(-[a-z0-9]+)*")
            String slug,

            @Size(max = 500) @Pattern(regexp = HTTPS, message = "must be an https URL")
            String logoUrl,

            @Size(max = 2000) String description,

            @Size(max = 300) @Pattern(regexp = HTTPS, message = "must be an https URL")
            String website,

            @Schema(description = "countries or regions it also ships from, such as DE or US-CA") @Size(max = 20)
            List<@NotNull @Pattern(regexp = "[A-Z]{2}(-[A-Z0-9]{1,3})?") String> shipFromRegions) {}

    public record FeatureRequest(
            @Schema(description = "placed first until then; null stops it")
            Instant until) {}

    private final SupplierProfiles profiles;
    private final Categories categories;
    private final Caller caller;

    public DirectoryResource(SupplierProfiles profiles, Categories categories, Caller caller) {
        this.profiles = profiles;
        this.categories = categories;
        this.caller = caller;
    }

    @GET
    @PermitAll
    @Operation(
            summary = "Browse and search active suppliers: featured first, then by rating",
            description =
                    "q: words in the name or description; categoryId: sells in the category or its sub-categories;"
                            + " shipsFrom: a country or region; minRating: 0 to 5 stars. Each supplier's products are at"
                            + " GET /api/catalog/products?supplierId=.")
    public Uni<Page<SupplierProfiles.Profile>> browse(
            @QueryParam("q") @Size(max = 200) String q,
            @QueryParam("categoryId") @Min(1) Long categoryId,
            @QueryParam("shipsFrom") @Pattern(regexp = "[A-Z]{2}(-[A-Z0-9]{1,3})?") String shipsFrom,
            @QueryParam("minRating") @DecimalMin("0") @DecimalMax("5") BigDecimal minRating,
            @QueryParam("limit") @DefaultValue("24") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") @Size(max = 200) String cursor) {
        String[] after = Cursors.decode(cursor, 2);
        int offset = after == null ? 0 : Cursors.part(after[1], Integer::parseInt);
        if (after != null && (!"at".equals(after[0]) || offset < 0)) {
            throw Cursors.notValid();
        }
        Uni<String> path = categoryId == null
                ? Uni.createFrom().nullItem()
                : categories.get(categoryId).map(Categories.Category::path);
        return path.chain(p -> profiles.browse(q, p, shipsFrom, minRating, offset, limit + 1))
                .map(rows -> rows.size() <= limit
                        ? new Page<>(rows, null)
                        : new Page<>(new ArrayList<>(rows.subList(0, limit)), Cursors.encode("at", offset + limit)));
    }

    @GET
    @Path("{slug}")
    @PermitAll
    @Operation(summary = "One active supplier's profile, by its slug (or id): rating, return policy, categories")
    public Uni<SupplierProfiles.Profile> get(@PathParam("slug") @Size(max = 60) String slug) {
        return profiles.get(slug);
    }

    @PUT
    @Path("{supplierId}/profile")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.SUPPLIER, Roles.ADMIN})
    @Operation(
            summary = "The supplier's public profile (itself, or an admin); fields left out keep their value",
            description = "409 when another supplier has the slug.")
    public Uni<SupplierProfiles.Profile> profile(
            @PathParam("supplierId") String supplierId, @Valid @NotNull ProfileRequest r) {
        if (!caller.is(Roles.ADMIN)) {
            SupplierResource.requireSelfOrStaff(caller, supplierId);
        }
        return profiles.change(
                supplierId,
                new SupplierProfiles.Change(r.slug(), r.logoUrl(), r.description(), r.website(), r.shipFromRegions()));
    }

    @PUT
    @Path("{supplierId}/featured")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Feature the supplier (placed first in the directory) until a time, or stop with until null")
    public Uni<SupplierProfiles.Profile> feature(
            @PathParam("supplierId") String supplierId, @Valid @NotNull FeatureRequest r) {
        return profiles.feature(supplierId, r.until(), caller.name());
    }
}
