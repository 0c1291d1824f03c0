package io.dropship.inventory.rest;

import io.dropship.inventory.domain.StockLevel;
import io.dropship.inventory.entity.StockItem;
import io.dropship.inventory.service.StockItems;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Page;
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
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A supplier's own stock. The supplier comes from the token, never from the request. */
@Path("/api/supplier/stock")
@Tag(name = "Supplier stock")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class SupplierStockResource {

    public record StockUpdate(
            @NotNull @Min(0) @Max(100_000_000) Integer quantity, Instant updatedAt) {}

    public record StockView(
            String sku,
            String supplierProductId,
            int onHand,
            int reserved,
            int available,
            Instant supplierUpdatedAt,
            Instant updatedAt) {
        static StockView of(StockItem item) {
            StockLevel level = new StockLevel(item.key.supplierId(), item.key.sku(), item.onHand, item.reserved);
            return new StockView(
                    item.key.sku(),
                    level.supplierProductId(),
                    item.onHand,
                    item.reserved,
                    level.available(),
                    item.supplierUpdatedAt,
                    item.updatedAt);
        }
    }

    public record UpdateResult(boolean applied, String note, StockView stock) {}

    public record BulkItem(String sku, Integer quantity, Instant updatedAt) {}

    public record BulkUpdate(
            @NotNull @jakarta.validation.constraints.Size(min = 1, max = MAX_BULK)
            List<BulkItem> items) {}

    public record Rejected(int index, String sku, String reason) {}

    public record BulkResult(
            int received, int applied, int changed, int stale, List<String> staleSkus, List<Rejected> rejected) {}

    static final int MAX_BULK = 10_000;
    static final java.util.regex.Pattern SKU = java.util.regex.Pattern.compile("[A-Za-z0-9._/-]{1,100}");

    private final StockItems stockItems;
    private final Caller caller;

    public SupplierStockResource(StockItems stockItems, Caller caller) {
        this.stockItems = stockItems;
        this.caller = caller;
    }

    @PUT
    @Path("{sku}")
    @Operation(
            summary = "Set the on-hand quantity of one SKU",
            description = "Absolute, not a delta. With updatedAt, an update older than the last applied one is ignored "
                    + "(applied=false) so that late deliveries never overwrite newer stock.")
    public Uni<UpdateResult> set(
            @PathParam("sku") @Pattern(regexp = "[A-Za-z0-9._/-]{1,100}") String sku,
            @Valid @NotNull StockUpdate update) {
        return stockItems
                .setOnHand(caller.supplierId(), sku, update.quantity(), update.updatedAt())
                .map(u -> new UpdateResult(
                        u.applied(),
                        u.applied()
                                ? null
                                : "ignored: a newer update (" + u.current().supplierUpdatedAt + ") is already applied",
                        StockView.of(u.current())));
    }

    @jakarta.ws.rs.POST
    @Operation(
            summary = "Set the on-hand quantities of many SKUs in one call (up to 10,000)",
            description =
                    "Absolute quantities, each with an optional updatedAt. An update older than the one applied is "
                            + "left out and listed in staleSkus; a SKU named twice keeps its newest update. Items that are not "
                            + "valid (bad SKU, missing or negative quantity) are listed in rejected with their index; the rest apply. "
                            + "Only quantities that moved publish StockChanged. The quantities are committed 500 at a time, "
                            + "so the stores get the first ones while the rest are written; a call that fails may have "
                            + "applied its first runs, and sending it again is safe.")
    public Uni<BulkResult> setMany(@Valid @NotNull BulkUpdate update) {
        List<StockItems.Quantity> good = new java.util.ArrayList<>();
        List<Rejected> rejected = new java.util.ArrayList<>();
        for (int i = 0; i < update.items().size(); i++) {
            BulkItem item = update.items().get(i);
            String why = item == null
                    ? "the item is empty"
                    : item.sku() == null || !SKU.matcher(item.sku()).matches()
                            ? "sku is 1-100 letters, digits or . _ / -"
                            : item.quantity() == null
                                    ? "quantity is missing"
                                    : item.quantity() < 0 || item.quantity() > 100_000_000
                                            ? "quantity is between 0 and 100000000"
                                            : null;
            if (why != null) {
                rejected.add(new Rejected(i, item == null ? null : item.sku(), why));
            } else {
                good.add(new StockItems.Quantity(item.sku(), item.quantity(), item.updatedAt()));
            }
        }
        if (good.isEmpty()) {
            return Uni.createFrom().item(new BulkResult(update.items().size(), 0, 0, 0, List.of(), rejected));
        }
        return stockItems
                .setMany(caller.supplierId(), good)
                .map(o -> new BulkResult(
                        update.items().size(),
                        o.applied(),
                        o.changed(),
                        o.stale().size(),
                        o.stale().size() > 1000 ? o.stale().subList(0, 1000) : o.stale(),
                        rejected));
    }

    @GET
    @Path("{sku}")
    @Operation(summary = "The stock of one SKU")
    public Uni<StockView> get(@PathParam("sku") String sku) {
        return stockItems.get(caller.supplierId(), sku).map(StockView::of);
    }

    @GET
    @Operation(summary = "All of the supplier's stock, by SKU")
    public Uni<Page<StockView>> list(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("cursor") String cursor) {
        return stockItems.list(caller.supplierId(), limit, cursor).map(p -> p.map(StockView::of));
    }
}
