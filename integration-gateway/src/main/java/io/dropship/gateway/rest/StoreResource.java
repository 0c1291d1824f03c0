package io.dropship.gateway.rest;

import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Page;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/stores")
@Tag(name = "Store connections")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RETAILER)
public class StoreResource {

    public record ConnectRequest(
            @NotNull StorePlatform platform,
            @NotBlank @Size(max = 255) String shopDomain,
            @NotBlank @Size(min = 8, max = 200) String webhookSecret,
            @NotBlank @Size(max = 500) String apiToken,
            @Pattern(regexp = "orders/paid|orders/create") String fulfilOn) {}

    /** A store as the API shows it: never its secrets. */
    public record StoreView(
            String storeId,
            StorePlatform platform,
            String shopDomain,
            String fulfilOn,
            String status,
            Instant createdAt) {
        static StoreView of(StoreConnection c) {
            return new StoreView(
                    c.id, StorePlatform.valueOf(c.platform), c.shopDomain, c.fulfilOn, c.status, c.createdAt);
        }
    }

    private final StoreConnections stores;
    private final Caller caller;

    public StoreResource(StoreConnections stores, Caller caller) {
        this.stores = stores;
        this.caller = caller;
    }

    @POST
    @Operation(
            summary = "Connect a Shopify or WooCommerce store",
            description = "shopDomain is acme.myshopify.com for Shopify or the site URL for WooCommerce. The webhook "
                    + "secret and API token are stored encrypted and never shown again. fulfilOn (Shopify) says which "
                    + "webhook starts fulfilment: orders/paid (default) or orders/create.")
    public Uni<Response> connect(@Valid @NotNull ConnectRequest request) {
        return stores.connect(
                        caller.retailerId(),
                        request.platform(),
                        request.shopDomain(),
                        request.webhookSecret(),
                        request.apiToken(),
                        request.fulfilOn() == null ? "orders/paid" : request.fulfilOn())
                .map(c -> Response.status(201).entity(StoreView.of(c)).build());
    }

    @GET
    @Operation(summary = "The retailer's connected stores, by store id")
    public Uni<Page<StoreView>> list(
            @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(500) int limit,
            @QueryParam("cursor") String cursor) {
        return stores.of(caller.retailerId())
                .map(l -> Page.slice(
                        l.stream()
                                .map(StoreView::of)
                                .sorted(java.util.Comparator.comparing(StoreView::storeId))
                                .toList(),
                        limit,
                        cursor));
    }
}
