package io.dropship.inventory.rest;

import io.dropship.inventory.feeds.StockFeeds;
import io.dropship.inventory.rest.SupplierStockResource.StockView;
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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * A supplier's stock policy, its low-stock list and its stock feed. Kept off /api/supplier/stock/{sku}, where any
 * word is a SKU.
 */
@Path("/api/supplier")
@Tag(name = "Supplier stock")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUPPLIER)
public class SupplierStockPolicyResource {

    public record PolicyView(int showPercent, int lowStockThreshold) {}

    public record PolicyUpdate(
            @Min(0) @Max(100) Integer showPercent,
            @Min(0) @Max(1_000_000) Integer lowStockThreshold) {}

    public record FeedUpdate(
            @NotNull @jakarta.validation.constraints.Size(max = 2000)
            String url,

            @NotNull @jakarta.validation.constraints.Pattern(regexp = "CSV|JSON")
            String format,

            @NotNull @Min(1) @Max(1440) Integer intervalMinutes,
            Boolean enabled) {}

    private final StockItems stockItems;
    private final StockFeeds feeds;
    private final Caller caller;

    public SupplierStockPolicyResource(StockItems stockItems, StockFeeds feeds, Caller caller) {
        this.stockItems = stockItems;
        this.feeds = feeds;
        this.caller = caller;
    }

    @GET
    @Path("stock-feed")
    @Operation(summary = "The supplier's stock feed and how its last fetch went (lastSuccessAt, rows, lastError)")
    public Uni<StockFeeds.Feed> feed() {
        return feeds.get(caller.supplierId());
    }

    @PUT
    @Path("stock-feed")
    @Operation(
            summary = "Set the stock feed the platform fetches: a CSV or JSON file over http(s), every intervalMinutes",
            description =
                    "CSV: a header row with a SKU column (sku, item, product code...) and a quantity column (quantity, "
                            + "qty, stock, on hand, available...), optionally a time column (updated_at, timestamp). JSON: an array "
                            + "of {sku, quantity, updatedAt}, or an object with one under items. Rows without a time are stamped with "
                            + "the fetch time; an older quantity never overwrites a newer one. The first fetch runs at once.")
    public Uni<StockFeeds.Feed> setFeed(@Valid @NotNull FeedUpdate update) {
        return feeds.put(
                caller.supplierId(),
                update.url(),
                update.format(),
                update.intervalMinutes(),
                update.enabled() == null || update.enabled());
    }

    @jakarta.ws.rs.DELETE
    @Path("stock-feed")
    @Operation(summary = "Stop fetching the stock feed and forget it")
    public Uni<jakarta.ws.rs.core.Response> deleteFeed() {
        return feeds.delete(caller.supplierId())
                .replaceWith(jakarta.ws.rs.core.Response.noContent().build());
    }

    @jakarta.ws.rs.POST
    @Path("stock-feed/run")
    @Operation(summary = "Fetch the stock feed now instead of at its next time (409 when the feed is disabled)")
    public Uni<jakarta.ws.rs.core.Response> runFeed() {
        return feeds.runNow(caller.supplierId())
                .map(f -> jakarta.ws.rs.core.Response.accepted(f).build());
    }

    @GET
    @Path("stock-policy")
    @Operation(summary = "What stores are shown of this supplier's stock, and when it counts as low")
    public Uni<PolicyView> policy() {
        return stockItems.policy(caller.supplierId()).map(p -> new PolicyView(p.showPercent(), p.lowStockThreshold()));
    }

    @PUT
    @Path("stock-policy")
    @Operation(
            summary =
                    "Set the share of available stock stores are shown (percent, rounded down) and the low-stock threshold",
            description = "A field left out goes back to the platform's default. Every product's stock is published "
                    + "again under the new policy, so stores follow at once.")
    public Uni<PolicyView> setPolicy(@Valid @NotNull PolicyUpdate update) {
        return stockItems
                .setPolicy(caller.supplierId(), update.showPercent(), update.lowStockThreshold())
                .map(p -> new PolicyView(p.showPercent(), p.lowStockThreshold()));
    }

    @GET
    @Path("low-stock")
    @Operation(summary = "The supplier's products whose available stock is below its low-stock threshold, lowest first")
    public Uni<Page<StockView>> low(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("cursor") String cursor) {
        return stockItems.low(caller.supplierId(), limit, cursor).map(p -> p.map(StockView::of));
    }
}
