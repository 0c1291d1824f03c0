package io.dropship.gateway.stores;

import io.dropship.gateway.messaging.Shipped;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Tracking to a WooCommerce store through REST API v3, authenticated with the site's consumer key and
 * secret (HTTP basic auth, as WooCommerce expects over HTTPS): a customer-visible order note with the
 * carrier, number and tracking link, and the order marked completed once every line has shipped.
 */
@ApplicationScoped
public class WooCommerceClient {

    private final StoreHttp http;

    public WooCommerceClient(StoreHttp http) {
        this.http = http;
    }

    /** The consumer key and secret, stored together as the store's API token {@code ck_...:cs_...}. */
    public record Credentials(String consumerKey, String consumerSecret) {
        public static Credentials parse(String apiToken) {
            int colon = apiToken.indexOf(':');
            if (colon <= 0 || colon == apiToken.length() - 1) {
                throw new IllegalArgumentException("a WooCommerce API token is consumer_key:consumer_secret");
            }
            return new Credentials(apiToken.substring(0, colon), apiToken.substring(colon + 1));
        }
    }

    public static String trackingNote(Shipped shipment) {
        StringBuilder note = new StringBuilder("Your order has shipped");
        if (shipment.carrier() != null) {
            note.append(" with ").append(shipment.carrier());
        }
        note.append(". Tracking number: ").append(shipment.trackingNumber()).append('.');
        if (shipment.trackingUrl() != null) {
            note.append(" Track it at ").append(shipment.trackingUrl());
        }
        return note.toString();
    }

    public Uni<PushResult> addTrackingNote(String siteUrl, Credentials credentials, Shipped shipment) {
        JsonObject body = new JsonObject().put("note", trackingNote(shipment)).put("customer_note", true);
        return http.send(authorized(HttpMethod.POST, siteUrl + "/wp-json/wc/v3/orders/" + shipment.storeOrderId() + "/notes",
                credentials), body, response -> Uni.createFrom().item(new PushResult.Done(
                "note " + response.bodyAsJsonObject().getValue("id"), "tracking note added")));
    }

    public Uni<PushResult> complete(String siteUrl, Credentials credentials, String storeOrderId) {
        return http.send(authorized(HttpMethod.PUT, siteUrl + "/wp-json/wc/v3/orders/" + storeOrderId, credentials),
                new JsonObject().put("status", "completed"),
                response -> Uni.createFrom().item(new PushResult.Done(null, "order completed")));
    }

    private HttpRequest<Buffer> authorized(HttpMethod method, String url, Credentials c) {
        return http.request(method, url).basicAuthentication(c.consumerKey(), c.consumerSecret());
    }
}
