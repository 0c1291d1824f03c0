package io.dropship.catalog.rest;

import io.dropship.catalog.catalog.Product;
import io.dropship.catalog.catalog.ProductInput;
import io.dropship.catalog.catalog.SupplierProducts;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
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
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A supplier's own products. The supplier comes from the token. */
@Path("/api/supplier/products")
@Tag(name = "Supplier catalog")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class SupplierProductResource {

    public static final String SKU_PATTERN = "[A-Za-z0-9._/-]{1,100}";
    public static final String IMAGE_URL = "https?://[^\\s]{1,990}";

    public record ProductRequest(
            @NotBlank @Size(max = 300) String title,
            @Size(max = 10_000) String description,

            @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2)
            BigDecimal wholesalePrice,

            @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2)
            BigDecimal shippingCost,

            @NotNull @Pattern(regexp = "[A-Z]{3}") String currency,

            @Pattern(regexp = "ACTIVE|OUT_OF_STOCK|DISCONTINUED")
            String status,

            @DecimalMin("0.00") @Digits(integer = 10, fraction = 2)
            BigDecimal msrp,

            @Schema(description = "minimum advertised price: a retailer's price does not go below it")
            @DecimalMin("0.00")
            @Digits(integer = 10, fraction = 2)
            BigDecimal mapPrice,

            @Size(max = 10)
            List<@NotNull @Pattern(regexp = IMAGE_URL, message = "must be an http(s) URL") String> images,

            @Schema(description = "free text, mapped onto the taxonomy by path, alias or name where it can be")
            @Size(max = 200)
            String category,

            @Schema(description = "the taxonomy category (GET /api/categories); over category when both are given")
            Long categoryId,

            @Min(0) @Max(1_000_000) Integer weightGrams,
            @Size(max = 40) String shippingClass,
            @Size(max = 50) Map<@Size(max = 100) String, Object> attributes) {}

    private final SupplierProducts products;
    private final Caller caller;
    private final io.dropship.catalog.categories.Categories categories;

    public SupplierProductResource(
            SupplierProducts products, Caller caller, io.dropship.catalog.categories.Categories categories) {
        this.products = products;
        this.caller = caller;
        this.categories = categories;
    }

    @PUT
    @Path("{sku}")
    @Operation(
            summary = "Create or change one of the supplier's products (an active supplier only)",
            description = "Sending the same product again changes nothing and publishes nothing.")
    public Uni<Product> put(
            @PathParam("sku") @Pattern(regexp = SKU_PATTERN) String sku, @Valid @NotNull ProductRequest r) {
        checkAttributes(r.attributes());
        if (r.mapPrice() != null && r.msrp() != null && r.mapPrice().compareTo(r.msrp()) > 0) {
            throw ProblemException.badRequest("mapPrice " + r.mapPrice() + " is above the msrp " + r.msrp());
        }
        String supplierId = caller.supplierId();
        Uni<String> category =
                r.categoryId() == null ? Uni.createFrom().item(r.category()) : categories.pathOf(r.categoryId());
        return requireActive(products, supplierId)
                .chain(() -> category)
                .chain(path -> products.upsert(
                        supplierId,
                        List.of(new ProductInput(
                                sku,
                                r.title(),
                                r.description(),
                                r.wholesalePrice(),
                                r.shippingCost(),
                                r.currency(),
                                r.status() == null ? "ACTIVE" : r.status(),
                                r.msrp(),
                                r.mapPrice(),
                                r.images(),
                                path,
                                r.weightGrams(),
                                r.shippingClass(),
                                r.attributes()))))
                .chain(() -> products.get(supplierId, sku));
    }

    @GET
    @Path("{sku}")
    @Operation(summary = "One of the supplier's products")
    public Uni<Product> get(@PathParam("sku") String sku) {
        return products.get(caller.supplierId(), sku);
    }

    @GET
    @Operation(summary = "The supplier's products in SKU order")
    public Uni<Page<Product>> list(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("cursor") String cursor) {
        return products.page(caller.supplierId(), Cursors.after(cursor), limit + 1)
                .map(items -> Page.of(items, limit, p -> new Object[] {p.sku()}));
    }

    static Uni<Void> requireActive(SupplierProducts products, String supplierId) {
        return products.supplierStatus(supplierId)
                .invoke(status -> {
                    if (!"ACTIVE".equals(status)) {
                        throw ProblemException.forbidden("only an active supplier can list products");
                    }
                })
                .replaceWithVoid();
    }

    /** Attributes are flat: each value a string, number or true/false. */
    static void checkAttributes(Map<String, Object> attributes) {
        if (attributes == null) {
            return;
        }
        attributes.forEach((k, v) -> {
            if (k.isBlank() || !(v instanceof String || v instanceof Number || v instanceof Boolean)) {
                throw ProblemException.badRequest("attribute '" + k + "' must have a text, number or true/false value");
            }
            if (v instanceof String s && s.length() > 1000) {
                throw ProblemException.badRequest("attribute '" + k + "' is longer than 1000 characters");
            }
        });
    }
}
