package io.dropship.catalog.rest;

import io.dropship.catalog.catalog.CatalogSearch;
import io.dropship.catalog.catalog.Product;
import io.dropship.catalog.catalog.ProductStore;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;

/** The catalog as retailers browse it: every active supplier's sellable products. */
@Path("/api/catalog/products")
@Tag(name = "Catalog")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
public class CatalogResource {

    private final CatalogSearch search;
    private final ProductStore products;

    public CatalogResource(CatalogSearch search, ProductStore products) {
        this.search = search;
        this.products = products;
    }

    @GET
    @Operation(summary = "Search and browse the catalog",
            description = "q: words, searched in titles and descriptions (quotes, OR and -word work as on the web);"
                    + " when the words match nothing, titles similar to them are returned (matchedBy = SIMILAR)."
                    + " Filters: category (a category matches its sub-categories, 'Home > Kitchen' finds"
                    + " 'Home > Kitchen > Mugs'), minPrice / maxPrice on the wholesale price, supplierId, inStock,"
                    + " shipsFrom (a country such as US, or a region such as US-CA). sort: RELEVANCE (default with q),"
                    + " NEWEST (default without), PRICE_ASC, PRICE_DESC. Pass nextCursor as cursor for the next page.")
    public Uni<CatalogSearch.Page> search(@QueryParam("q") @Size(max = 200) String q,
                                          @QueryParam("category") @Size(max = 200) String category,
                                          @QueryParam("minPrice") @DecimalMin("0") BigDecimal minPrice,
                                          @QueryParam("maxPrice") @DecimalMin("0") BigDecimal maxPrice,
                                          @QueryParam("supplierId") @Size(max = 40) String supplierId,
                                          @QueryParam("inStock") @DefaultValue("false") boolean inStock,
                                          @QueryParam("shipsFrom") @Pattern(regexp = "[A-Z]{2}(-[A-Z0-9]{1,3})?",
                                                  message = "must be a country or region code such as US or US-CA") String shipsFrom,
                                          @QueryParam("sort") CatalogSearch.Sort sort,
                                          @QueryParam("limit") @DefaultValue("24") @Min(1) @Max(100) int limit,
                                          @QueryParam("cursor") @Size(max = 1000) String cursor) {
        if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
            throw ProblemException.badRequest("minPrice is above maxPrice");
        }
        return search.search(new CatalogSearch.Query(q, category, minPrice, maxPrice, supplierId, inStock, shipsFrom,
                sort, limit, cursor));
    }

    @GET
    @Path("{supplierProductId}")
    @Operation(summary = "One product, by its id <supplierId>:<sku>")
    public Uni<Product> get(@PathParam("supplierProductId") String id) {
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            throw ProblemException.notFound("product " + id);
        }
        return products.get(id.substring(0, colon), id.substring(colon + 1));
    }
}
