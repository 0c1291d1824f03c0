package io.dropship.gateway.rest;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.stores.StoreInstalls;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.Roles;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Connecting a store in one click (StoreInstalls): the retailer's app starts it and sends the browser to the store;
 * the store comes back to a callback here. Pasting a token and a secret (POST /api/stores) stays for custom apps.
 */
@Path("/api/stores")
@Tag(name = "Stores")
@Produces(MediaType.APPLICATION_JSON)
public class StoreConnectResource {

    public record ShopifyInstall(@NotBlank @Size(max = 255) String shopDomain) {}

    public record WooConnect(@NotBlank @Size(max = 500) String siteUrl) {}

    private final StoreInstalls installs;
    private final Caller caller;
    private final GatewayConfig config;

    public StoreConnectResource(StoreInstalls installs, Caller caller, GatewayConfig config) {
        this.installs = installs;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Path("shopify/install")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary = "Start connecting a Shopify shop: the URL to send the retailer's browser to",
            description = "The shop asks its owner to approve the platform's app and its scopes, then redirects to"
                    + " /api/stores/shopify/callback. The start is good for 15 minutes and one use.")
    public Uni<StoreInstalls.Started> installShopify(@Valid @NotNull ShopifyInstall request) {
        return installs.startShopify(caller.retailerId(), request.shopDomain());
    }

    @GET
    @Path("shopify/install")
    @PermitAll
    @Operation(
            summary = "The app's install link, as Shopify opens it (signed by Shopify): on to the retailer app",
            description = "A shop owner installing the app from Shopify lands here; the link is checked and the browser"
                    + " goes on to the retailer app's connect page for that shop, where a signed-in retailer starts the"
                    + " connection (POST /api/stores/shopify/install).")
    public Response shopifyInstallLink(@jakarta.ws.rs.core.Context UriInfo uri) {
        String shop = installs.verifiedShop(uri.getQueryParameters());
        return Response.seeOther(URI.create(config.accounts().appUrl() + "/stores/connect/shopify?shop="
                        + URLEncoder.encode(shop, StandardCharsets.UTF_8)))
                .build();
    }

    @GET
    @Path("shopify/callback")
    @PermitAll
    @Operation(
            summary = "Where Shopify sends the browser back with the authorization code (signed by Shopify)",
            description =
                    "Checks the signature, the start's state and the shop, exchanges the code for an offline token,"
                            + " connects the store and subscribes to its webhooks; then on to the retailer app's store page.")
    public Uni<Response> shopifyCallback(@jakarta.ws.rs.core.Context UriInfo uri) {
        return installs.finishShopify(uri.getQueryParameters())
                .map(storeId -> Response.seeOther(
                                URI.create(config.accounts().appUrl() + "/stores/" + storeId + "?connected=shopify"))
                        .build());
    }

    @POST
    @Path("woocommerce/connect")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.RETAILER)
    @Operation(
            summary = "Start connecting a WooCommerce site: the URL of its key-generation page for the browser",
            description =
                    "The site asks its owner to approve read/write REST API keys for the platform and POSTs them to"
                            + " /api/stores/woocommerce/callback; the gateway then creates its webhooks there.")
    public Uni<StoreInstalls.Started> connectWoo(@Valid @NotNull WooConnect request) {
        return installs.startWoo(caller.retailerId(), request.siteUrl());
    }

    @POST
    @Path("woocommerce/callback")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Where a WooCommerce site POSTs the REST API keys its owner approved",
            description = "{key_id, user_id (the start's state), consumer_key, consumer_secret, key_permissions}.")
    public Uni<Response> wooCallback(String body) {
        JsonObject keys;
        try {
            keys = new JsonObject(body);
        } catch (RuntimeException e) {
            throw io.dropship.platform.web.ProblemException.badRequest("the body is not the keys' JSON");
        }
        return installs.finishWoo(keys)
                .map(storeId -> Response.ok(
                                new JsonObject().put("storeId", storeId).encode())
                        .build());
    }

    @DELETE
    @Path("{storeId}")
    @RolesAllowed(Roles.RETAILER)
    @Operation(summary = "Disconnect a store: the platform's webhooks there are deleted and its credentials erased")
    public Uni<Response> disconnect(@PathParam("storeId") String storeId) {
        return installs.disconnect(caller.retailerId(), storeId)
                .map(v -> Response.noContent().build());
    }
}
