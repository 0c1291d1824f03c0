package io.dropship.catalog.rest;

import io.dropship.catalog.catalog.CatalogSearch;
import io.dropship.catalog.catalog.Product;
import io.dropship.catalog.catalog.SupplierProducts;
import io.dropship.catalog.categories.Categories;
import io.dropship.catalog.domain.BusinessType;
import io.dropship.catalog.service.Suppliers;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.math.BigDecimal;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The catalog as a storefront shows it, signed in or not: every active supplier's sellable products, and the public
 * profile of each such supplier (no contact details). Anonymous callers are held to the per-address rate limit.
 */
@Path("/api/catalog")
@Tag(name = "Catalog")
@Produces(MediaType.APPLICATION_JSON)
@PermitAll
public class CatalogResource {

    /** What anyone may see of an active supplier. */
    public record SupplierProfile(
            String supplierId,
            String companyName,
            BusinessType businessType,
            String shipFromRegion,
            List<String> shippingMethods,
            int handlingDays,
            BigDecimal minimumOrderValue) {}

    private final CatalogSearch search;
    private final SupplierProducts products;
    private final Suppliers suppliers;

    private final Categories categories;

    public CatalogResource(
            CatalogSearch search, SupplierProducts products, Suppliers suppliers, Categories categories) {
        this.categories = categories;
        this.search = search;
        this.products = products;
        this.suppliers = suppliers;
    }

    @GET
    @Path("products")
    @Operation(
            summary = "Search and browse the catalog (public)",
            description = "q: words, searched in titles and descriptions (quotes, OR and -word work as on the web);"
                    + " products whose title holds them come first. When the words match nothing, each is corrected"
                    + " to the nearest word the catalog's titles use and those are searched (matchedBy = SIMILAR,"
                    + " correctedQuery: the words searched, for a 'showing results for' line)."
                    + " Filters: category (a category matches its sub-categories, 'Home > Kitchen' finds"
                    + " 'Home > Kitchen > Mugs'; or categoryId, a category of GET /api/categories and its sub-categories), minPrice / maxPrice on the wholesale price, supplierId, inStock,"
                    + " shipsFrom (a country such as US, or a region such as US-CA). sort: RELEVANCE (default with q),"
                    + " NEWEST (default without), PRICE_ASC, PRICE_DESC. Pass nextCursor as cursor for the next page.")
    public Uni<CatalogSearch.Page> search(
            @QueryParam("q") @Size(max = 200) String q,
            @QueryParam("category") @Size(max = 200) String category,
            @QueryParam("categoryId") @Min(1) Long categoryId,
            @QueryParam("minPrice") @DecimalMin("0") BigDecimal minPrice,
            @QueryParam("maxPrice") @DecimalMin("0") BigDecimal maxPrice,
            @QueryParam("supplierId") @Size(max = 40) String supplierId,
            @QueryParam("inStock") @DefaultValue("false") boolean inStock,
            @QueryParam("shipsFrom")
                    @Pattern(
                            regexp = "[A-Z]{2}(-[A-Z0-9]{1,3})?",
                            message = "must be a country or region code such as US or US-CA")
                    String shipsFrom,
            @QueryParam("sort") CatalogSearch.Sort sort,
            @QueryParam("limit") @DefaultValue("24") @Min(1) @Max(100) int limit,
            @QueryParam("cursor") @Size(max = 1000) String cursor) {
        if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
            throw ProblemException.badRequest("minPrice is above maxPrice");
        }
        Uni<String> path = categoryId == null
                ? Uni.createFrom().item(category)
                : categories.get(categoryId).map(Categories.Category::path);
        return path.chain(p -> search.search(new CatalogSearch.Query(
                q, p, minPrice, maxPrice, supplierId, inStock, shipsFrom, sort, limit, cursor)));
    }

    @GET
    @Path("products/{supplierProductId}")
    @Operation(
            summary = "One product of the catalog, by its id <supplierId>:<sku> (public)",
            description = "404 for a product that is not in the catalog: discontinued, or its supplier not active.")
    public Uni<Product> get(@PathParam("supplierProductId") String id) {
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            throw ProblemException.notFound("product " + id);
        }
        return activeSupplier(id.substring(0, colon))
                .chain(s -> products.get(s.id, id.substring(colon + 1)))
                .map(p -> {
                    if ("DISCONTINUED".equals(p.status())) {
                        throw ProblemException.notFound("product " + id);
                    }
                    return p;
                });
    }

    @GET
    @Path("suppliers/{supplierId}")
    @Operation(summary = "An active supplier's public profile: who it is, where it ships from, how fast (public)")
    public Uni<SupplierProfile> supplier(@PathParam("supplierId") String supplierId) {
        return activeSupplier(supplierId)
                .map(s -> new SupplierProfile(
                        s.id,
                        s.companyName,
                        s.businessType,
                        s.shipFromRegion,
                        Suppliers.shippingMethods(s),
                        s.handlingDays,
                        s.minimumOrderValue));
    }

    private Uni<io.dropship.catalog.entity.Supplier> activeSupplier(String supplierId) {
        return suppliers
                .get(supplierId)
                .onFailure(ProblemException.class)
                .transform(e -> ProblemException.notFound("supplier " + supplierId))
                .map(s -> {
                    if (s.status != io.dropship.catalog.domain.SupplierStatus.ACTIVE) {
                        throw ProblemException.notFound("supplier " + supplierId);
                    }
                    return s;
                });
    }
}
