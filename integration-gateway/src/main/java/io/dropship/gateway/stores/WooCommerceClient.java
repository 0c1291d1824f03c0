package io.dropship.gateway.stores;

import io.dropship.gateway.listings.StoreListings;
import io.dropship.gateway.messaging.events.Shipped;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

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

    /**
     * Adds the customer-visible tracking note. WooCommerce has no idempotency key, so a retry ({@code firstTry} false:
     * the earlier call may have taken effect with its answer lost) first reads the order's notes and adds nothing
     * when the same note is there: the customer is told once.
     */
    public Uni<PushResult> addTrackingNote(
            String siteUrl, Credentials credentials, Shipped shipment, boolean firstTry) {
        return addCustomerNote(siteUrl, credentials, shipment.storeOrderId(), trackingNote(shipment), firstTry)
                .map(r -> r instanceof PushResult.Done d
                        ? new PushResult.Done(
                                d.reference(),
                                d.detail().equals("note already there")
                                        ? "tracking note already there"
                                        : "tracking note added")
                        : r);
    }

    /** A customer-visible note on the order, added once however often it is retried (see addTrackingNote). */
    public Uni<PushResult> addCustomerNote(
            String siteUrl, Credentials credentials, String storeOrderId, String text, boolean firstTry) {
        if (firstTry) {
            return postNote(siteUrl, credentials, storeOrderId, text);
        }
        String[] existing = new String[1];
        return http.get(
                        authorized(
                                HttpMethod.GET,
                                siteUrl + "/wp-json/wc/v3/orders/" + storeOrderId + "/notes?type=customer",
                                credentials),
                        response -> {
                            JsonArray notes;
                            try {
                                notes = response.bodyAsJsonArray();
                            } catch (RuntimeException e) {
                                return Uni.createFrom()
                                        .item(PushResult.retry(
                                                "WooCommerce answered with something that is not a JSON list"));
                            }
                            for (Object o : notes) {
                                if (o instanceof JsonObject n
                                        && text.equals(n.getString("note"))
                                        && n.getBoolean("customer_note", false)) {
                                    existing[0] = String.valueOf(n.getValue("id"));
                                }
                            }
                            return Uni.createFrom().item(new PushResult.Done(null, "notes read"));
                        })
                .chain(read -> !(read instanceof PushResult.Done)
                        ? Uni.createFrom().item(read)
                        : existing[0] != null
                                ? Uni.createFrom()
                                        .item(new PushResult.Done("note " + existing[0], "note already there"))
                                : postNote(siteUrl, credentials, storeOrderId, text));
    }

    private Uni<PushResult> postNote(String siteUrl, Credentials credentials, String storeOrderId, String text) {
        JsonObject body = new JsonObject().put("note", text).put("customer_note", true);
        return http.send(
                authorized(HttpMethod.POST, siteUrl + "/wp-json/wc/v3/orders/" + storeOrderId + "/notes", credentials),
                body,
                response -> Uni.createFrom()
                        .item(new PushResult.Done(
                                "note " + response.bodyAsJsonObject().getValue("id"), "note added")));
    }

    /**
     * Cancels the order: the customer's note first (once, however often retried), then the status {@code cancelled}
     * (setting it again changes nothing). WooCommerce refunds through the site's payment gateway, which the retailer
     * starts from the order; the platform's own refund to the retailer goes through settlement.
     */
    public Uni<PushResult> cancel(
            String siteUrl,
            Credentials credentials,
            String storeOrderId,
            String customerMessage,
            boolean firstTry,
            Supplier<Uni<Void>> beforeCall) {
        Uni<PushResult> note = customerMessage == null || customerMessage.isBlank()
                ? Uni.createFrom().item(new PushResult.Done(null, "no note"))
                : beforeCall
                        .get()
                        .chain(() -> addCustomerNote(siteUrl, credentials, storeOrderId, customerMessage, firstTry));
        return note.chain(n -> !(n instanceof PushResult.Done d)
                ? Uni.createFrom().item(n)
                : beforeCall
                        .get()
                        .chain(() -> http.send(
                                authorized(
                                        HttpMethod.PUT, siteUrl + "/wp-json/wc/v3/orders/" + storeOrderId, credentials),
                                new JsonObject().put("status", "cancelled"),
                                response -> Uni.createFrom()
                                        .item(new PushResult.Done(
                                                d.reference(), "order cancelled; the customer's note added")))));
    }

    public Uni<PushResult> complete(String siteUrl, Credentials credentials, String storeOrderId) {
        return http.send(
                authorized(HttpMethod.PUT, siteUrl + "/wp-json/wc/v3/orders/" + storeOrderId, credentials),
                new JsonObject().put("status", "completed"),
                response -> Uni.createFrom().item(new PushResult.Done(null, "order completed")));
    }

    /** WooCommerce takes at most this many items in one batch request. */
    public static final int BATCH_LIMIT = 100;

    /**
     * Creates (no store id yet) or updates the simple products for up to {@link #BATCH_LIMIT} listings in one
     * {@code POST products/batch}. The answer is one result per listing, in order: WooCommerce answers each item on
     * its own, so one refused SKU does not fail the others.
     */
    public Uni<List<PushResult>> productsBatch(
            String siteUrl, Credentials credentials, List<StoreListings.Claimed> listings) {
        if (listings.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("at most " + BATCH_LIMIT + " products per batch");
        }
        JsonArray create = new JsonArray();
        JsonArray update = new JsonArray();
        List<Integer> createIdx = new ArrayList<>();
        List<Integer> updateIdx = new ArrayList<>();
        for (int i = 0; i < listings.size(); i++) {
            StoreListings.Claimed l = listings.get(i);
            JsonObject product = new JsonObject()
                    .put("name", l.title())
                    .put("type", "simple")
                    .put("status", l.visible() ? "publish" : "draft")
                    .put("sku", l.sku())
                    .put("regular_price", l.price().toPlainString())
                    .put("description", l.description() == null ? "" : l.description());
            JsonArray images = new JsonArray();
            l.images().forEach(url -> images.add(new JsonObject().put("src", url)));
            product.put("images", images);
            if (l.storeProductId() != null) {
                update.add(product.put("id", Long.parseLong(l.storeProductId())));
                updateIdx.add(i);
            } else {
                create.add(product);
                createIdx.add(i);
            }
        }
        JsonObject body = new JsonObject();
        if (!create.isEmpty()) {
            body.put("create", create);
        }
        if (!update.isEmpty()) {
            body.put("update", update);
        }
        List<PushResult> results = new ArrayList<>(java.util.Collections.nCopies(listings.size(), null));
        return http.send(
                        authorized(HttpMethod.POST, siteUrl + "/wp-json/wc/v3/products/batch", credentials),
                        body,
                        response -> {
                            JsonObject answer;
                            try {
                                answer = response.bodyAsJsonObject();
                            } catch (RuntimeException e) {
                                return Uni.createFrom()
                                        .item(PushResult.retry("WooCommerce answered with something that is not JSON"));
                            }
                            read(answer.getJsonArray("create", new JsonArray()), createIdx, results, true);
                            read(answer.getJsonArray("update", new JsonArray()), updateIdx, results, false);
                            return Uni.createFrom().item(new PushResult.Done(null, "batch answered"));
                        })
                .map(whole -> {
                    List<PushResult> out = new ArrayList<>();
                    for (PushResult r : results) {
                        out.add(
                                whole instanceof PushResult.Done
                                        ? (r != null ? r : PushResult.retry("WooCommerce left the item unanswered"))
                                        : whole);
                    }
                    return out;
                });
    }

    /** One product's stock for the batch endpoint; {@code status} "draft" hides it, "publish" shows it, null leaves it. */
    public record StockUpdate(String productId, int quantity, String status) {}

    /**
     * Stock quantities through {@code POST products/batch}, at most 100 per call: each product manages its stock and
     * takes the absolute quantity (WooCommerce marks it out of stock at zero), and is hidden or shown again where asked.
     * Each item answers on its own.
     */
    public Uni<List<PushResult>> stockBatch(String siteUrl, Credentials credentials, List<StockUpdate> updates) {
        JsonArray update = new JsonArray();
        for (StockUpdate u : updates) {
            JsonObject item = new JsonObject()
                    .put("id", Long.parseLong(u.productId()))
                    .put("manage_stock", true)
                    .put("stock_quantity", u.quantity());
            if (u.status() != null) {
                item.put("status", u.status());
            }
            update.add(item);
        }
        List<PushResult> results = new ArrayList<>(java.util.Collections.nCopies(updates.size(), null));
        List<Integer> positions =
                java.util.stream.IntStream.range(0, updates.size()).boxed().toList();
        return http.send(
                        authorized(HttpMethod.POST, siteUrl + "/wp-json/wc/v3/products/batch", credentials),
                        new JsonObject().put("update", update),
                        response -> {
                            JsonObject answer;
                            try {
                                answer = response.bodyAsJsonObject();
                            } catch (RuntimeException e) {
                                return Uni.createFrom()
                                        .item(PushResult.retry("WooCommerce answered with something that is not JSON"));
                            }
                            read(answer.getJsonArray("update", new JsonArray()), positions, results, false);
                            return Uni.createFrom().item(new PushResult.Done(null, "batch answered"));
                        })
                .map(whole -> {
                    List<PushResult> out = new ArrayList<>();
                    for (PushResult r : results) {
                        out.add(
                                whole instanceof PushResult.Done
                                        ? (r instanceof PushResult.Listed
                                                ? new PushResult.Done(null, "stock set")
                                                : r != null
                                                        ? r
                                                        : PushResult.retry("WooCommerce left the item unanswered"))
                                        : whole);
                    }
                    return out;
                });
    }

    /** The stock quantity of up to 100 products, by id ({@code GET products?include=...}); unmanaged stock reads as null. */
    public Uni<java.util.Map<String, Integer>> stockOf(
            String siteUrl, Credentials credentials, List<String> productIds) {
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        return http.get(
                        authorized(
                                HttpMethod.GET,
                                siteUrl + "/wp-json/wc/v3/products?per_page=100&include="
                                        + String.join(",", productIds),
                                credentials),
                        response -> {
                            JsonArray products;
                            try {
                                products = response.bodyAsJsonArray();
                            } catch (RuntimeException e) {
                                return Uni.createFrom()
                                        .item(PushResult.retry(
                                                "WooCommerce answered with something that is not a JSON list"));
                            }
                            for (Object o : products) {
                                JsonObject p = (JsonObject) o;
                                Object q = p.getValue("stock_quantity");
                                out.put(
                                        String.valueOf(p.getValue("id")),
                                        q instanceof Number n && p.getBoolean("manage_stock", false)
                                                ? n.intValue()
                                                : null);
                            }
                            return Uni.createFrom().item(new PushResult.Done(null, "read"));
                        })
                .map(r -> {
                    if (r instanceof PushResult.Done) {
                        return out;
                    }
                    throw new ShopifyAdminClient.StoreCallFailed(r);
                });
    }

    private static void read(JsonArray items, List<Integer> positions, List<PushResult> results, boolean created) {
        for (int k = 0; k < positions.size() && k < items.size(); k++) {
            JsonObject item = items.getJsonObject(k);
            JsonObject error = item.getJsonObject("error");
            Object holder = error == null
                    ? null
                    : error.getJsonObject("data", new JsonObject()).getValue("resource_id");
            if (created
                    && "product_invalid_sku".equals(error == null ? null : error.getString("code"))
                    && holder instanceof Number n
                    && n.longValue() > 0) {
                results.set(positions.get(k), new PushResult.Found(String.valueOf(n.longValue())));
            } else if (error != null) {
                int status = error.getJsonObject("data", new JsonObject()).getInteger("status", 400);
                String said = "WooCommerce refused the product: " + error.getString("message") + " ("
                        + error.getString("code") + ")";
                results.set(
                        positions.get(k),
                        status == 429 || status >= 500 ? PushResult.retry(said) : new PushResult.Failed(said));
            } else {
                String id = String.valueOf(item.getValue("id"));
                results.set(positions.get(k), new PushResult.Listed(id, id, null));
            }
        }
    }

    /** A request to the retailer's site, checked on the address it connects to (StoreHttp.checkedRequest). */
    private Uni<HttpRequest<Buffer>> authorized(HttpMethod method, String url, Credentials c) {
        return http.checkedRequest(method, url).map(r -> r.basicAuthentication(c.consumerKey(), c.consumerSecret()));
    }
}
