package io.dropship.catalog.rest;

import io.dropship.catalog.repository.SupplierProduct;
import io.dropship.catalog.service.CatalogBook;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
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

import java.math.BigDecimal;
import java.time.Instant;

/** A supplier's own products. The supplier comes from the token. */
@Path("/api/supplier/products")
@Tag(name = "Supplier catalog")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class SupplierProductResource {

    public record ProductRequest(
            @NotBlank @Size(max = 300) String title,
            @Size(max = 10_000) String description,
            @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal wholesalePrice,
            @NotNull @DecimalMin("0.00") @Digits(integer = 10, fraction = 2) BigDecimal shippingCost,
            @NotNull @Pattern(regexp = "[A-Z]{3}") String currency,
            @Pattern(regexp = "ACTIVE|OUT_OF_STOCK|DISCONTINUED") String status) {
    }

    public record ProductView(String supplierProductId, String sku, String title, String description,
                              BigDecimal wholesalePrice, BigDecimal shippingCost, String currency, String status,
                              Instant updatedAt) {
        static ProductView of(SupplierProduct p) {
            return new ProductView(p.key.id(), p.key.sku(), p.title, p.description, p.wholesalePrice, p.shippingCost,
                    p.currency, p.status, p.updatedAt);
        }
    }

    private final CatalogBook catalog;
    private final Caller caller;

    public SupplierProductResource(CatalogBook catalog, Caller caller) {
        this.catalog = catalog;
        this.caller = caller;
    }

    @PUT
    @Path("{sku}")
    @Operation(summary = "Create or change one of the supplier's products (an active supplier only)")
    public Uni<ProductView> put(@PathParam("sku") @Pattern(regexp = "[A-Za-z0-9._/-]{1,100}") String sku,
                                @Valid @NotNull ProductRequest request) {
        return catalog.putProduct(caller.supplierId(), sku, new CatalogBook.ProductData(request.title(),
                        request.description(), request.wholesalePrice(), request.shippingCost(), request.currency(),
                        request.status() == null ? "ACTIVE" : request.status()))
                .map(ProductView::of);
    }

    @GET
    @Path("{sku}")
    @Operation(summary = "One of the supplier's products")
    public Uni<ProductView> get(@PathParam("sku") String sku) {
        return catalog.product(caller.supplierId(), sku).map(ProductView::of);
    }
}
