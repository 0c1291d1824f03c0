package io.dropship.catalog.rest;

import io.dropship.catalog.categories.Categories;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The category taxonomy: anyone reads it, admins keep it. */
@Path("/api/categories")
@Tag(name = "Catalog")
@Produces(MediaType.APPLICATION_JSON)
public class CategoryResource {

    public record CategoryRequest(
            @Size(min = 1, max = 100) @Pattern(regexp = "[^>]+", message = "may not hold '>'")
            String name,

            @Schema(description = "the parent category; 0 for the top (on a change: moves it there)") @Min(0)
            Long parentId,

            @Schema(
                    description =
                            "Shopify Standard Product Taxonomy id, e.g. gid://shopify/TaxonomyCategory/hg-11-10-5-5")
            @Size(max = 100)
            @Pattern(regexp = "gid://shopify/TaxonomyCategory/[a-z]{2}(-\\d+)*")
            String shopifyTaxonomyId,

            @Schema(description = "free-text names suppliers' files use for it; on a change they replace the old ones")
            @Size(max = 50)
            List<@NotNull @Size(min = 1, max = 200) String> aliases) {
        Categories.Change change() {
            return new Categories.Change(name, parentId, shopifyTaxonomyId, aliases);
        }
    }

    private final Categories categories;

    public CategoryResource(Categories categories) {
        this.categories = categories;
    }

    @GET
    @PermitAll
    @Operation(summary = "The category taxonomy, by path (parents first), with Shopify taxonomy ids and aliases")
    public Uni<List<Categories.Category>> all() {
        return categories.all();
    }

    @GET
    @Path("{id}")
    @PermitAll
    @Operation(summary = "One category")
    public Uni<Categories.Category> get(@PathParam("id") long id) {
        return categories.get(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Add a category under a parent (or at the top); 409 when its path exists or an alias is taken")
    public Uni<Response> create(@Valid @NotNull CategoryRequest request) {
        if (request.name() == null) {
            throw io.dropship.platform.web.ProblemException.badRequest("name is required");
        }
        return categories
                .create(request.change())
                .map(c -> Response.created(URI.create("/api/categories/" + c.id()))
                        .entity(c)
                        .build());
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(
            summary = "Rename, move, re-map or re-alias a category; its sub-categories and products follow",
            description =
                    "Fields left out keep their value. Moving a category under itself or its own sub-category is 409.")
    public Uni<Categories.Category> change(@PathParam("id") long id, @Valid @NotNull CategoryRequest request) {
        return categories.change(id, request.change());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Remove a category with no sub-categories and no products (409 otherwise)")
    public Uni<Response> delete(@PathParam("id") long id) {
        return categories.delete(id).replaceWith(Response.noContent().build());
    }
}
