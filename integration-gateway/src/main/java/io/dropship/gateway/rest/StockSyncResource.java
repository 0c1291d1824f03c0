package io.dropship.gateway.rest;

import io.dropship.gateway.stock.StockTargets;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Cursors;
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
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Stock in the retailer's stores: how the sync stands, what runs low, and the retailer's own stock settings. */
@Path("/api")
@Tag(name = "Stock sync")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class StockSyncResource {

    public record SettingsUpdate(
            @Min(0) @Max(100) Integer showPercent,
            @NotNull @Pattern(regexp = "ZERO|HIDE") String outOfStockAction) {}

    private final StockTargets targets;
    private final Caller caller;

    public StockSyncResource(StockTargets targets, Caller caller) {
        this.targets = targets;
        this.caller = caller;
    }

    @GET
    @Path("sync/status")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary =
                    "Per store: listings, stock updates pending, stock and listing errors with the store's message, last syncs",
            description =
                    "A retailer sees its own stores; admins and support see every store, or one retailer's with retailerId.")
    public Uni<Page<StockTargets.StoreStatus>> status(
            @QueryParam("retailerId") String retailerId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        return targets.status(caller.retailerScope(retailerId).orElse(null)).map(all -> Page.slice(all, limit, cursor));
    }

    @GET
    @Path("stock/low")
    @RolesAllowed({Roles.RETAILER, Roles.ADMIN, Roles.SUPPORT})
    @Operation(
            summary =
                    "Listings running low: every supplier product behind them is below its supplier's low-stock threshold",
            description =
                    "Lowest first. A retailer sees its own listings; staff see all, or one retailer's with retailerId.")
    public Uni<Page<StockTargets.LowStock>> low(
            @QueryParam("retailerId") String retailerId,
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit,
            @QueryParam("cursor") String cursor) {
        String[] after = Cursors.decode(cursor, 2);
        return targets.low(
                        caller.retailerScope(retailerId).orElse(null),
                        after == null ? null : Cursors.part(after[0], Integer::valueOf),
                        after == null ? null : after[1],
                        limit + 1)
                .map(rows -> Page.of(rows, limit, l -> new Object[] {l.available(), l.listingId()}));
    }

    @GET
    @Path("stock/settings")
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary = "The retailer's stock settings: its own share of available stock to show (null: the supplier's), "
                    + "and whether sold-out products show 0 (ZERO) or are hidden until restocked (HIDE)")
    public Uni<StockTargets.Settings> settings() {
        return targets.settings(caller.retailerId());
    }

    @PUT
    @Path("stock/settings")
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary =
                    "Set the retailer's stock settings; every listing whose quantity or visibility changes is sent again")
    public Uni<StockTargets.Settings> setSettings(@Valid @NotNull SettingsUpdate update) {
        return targets.settings(
                caller.retailerId(), new StockTargets.Settings(update.showPercent(), update.outOfStockAction()));
    }
}
