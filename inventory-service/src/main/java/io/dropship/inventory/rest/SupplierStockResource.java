package io.dropship.inventory.rest;

import io.dropship.inventory.domain.StockLevel;
import io.dropship.inventory.repository.StockItem;
import io.dropship.inventory.service.StockLedger;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.List;

/** A supplier's own stock. The supplier comes from the token, never from the request. */
@Path("/api/supplier/stock")
@Tag(name = "Supplier stock")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class SupplierStockResource {

    public record StockUpdate(@NotNull @Min(0) @Max(100_000_000) Integer quantity, Instant updatedAt) {
    }

    public record StockView(String sku, String supplierProductId, int onHand, int reserved, int available,
                            Instant supplierUpdatedAt, Instant updatedAt) {
        static StockView of(StockItem item) {
            StockLevel level = new StockLevel(item.key.supplierId(), item.key.sku(), item.onHand, item.reserved);
            return new StockView(item.key.sku(), level.supplierProductId(), item.onHand, item.reserved,
                    level.available(), item.supplierUpdatedAt, item.updatedAt);
        }
    }

    public record UpdateResult(boolean applied, String note, StockView stock) {
    }

    private final StockLedger ledger;
    private final Caller caller;

    public SupplierStockResource(StockLedger ledger, Caller caller) {
        this.ledger = ledger;
        this.caller = caller;
    }

    @PUT
    @Path("{sku}")
    @Operation(summary = "Set the on-hand quantity of one SKU",
            description = "Absolute, not a delta. With updatedAt, an update older than the last applied one is ignored "
                    + "(applied=false) so that late deliveries never overwrite newer stock.")
    public Uni<UpdateResult> set(@PathParam("sku") @Pattern(regexp = "[A-Za-z0-9._/-]{1,100}") String sku,
                                 @Valid @NotNull StockUpdate update) {
        return ledger.setOnHand(caller.supplierId(), sku, update.quantity(), update.updatedAt())
                .map(u -> new UpdateResult(u.applied(),
                        u.applied() ? null : "ignored: a newer update (" + u.current().supplierUpdatedAt + ") is already applied",
                        StockView.of(u.current())));
    }

    @GET
    @Path("{sku}")
    @Operation(summary = "The stock of one SKU")
    public Uni<StockView> get(@PathParam("sku") String sku) {
        return ledger.get(caller.supplierId(), sku).map(StockView::of);
    }

    @GET
    @Operation(summary = "All of the supplier's stock, by SKU")
    public Uni<List<StockView>> list(@QueryParam("page") @DefaultValue("0") @Min(0) int page,
                                     @QueryParam("size") @DefaultValue("100") @Min(1) @Max(1000) int size) {
        return ledger.list(caller.supplierId(), page, size).map(l -> l.stream().map(StockView::of).toList());
    }
}
