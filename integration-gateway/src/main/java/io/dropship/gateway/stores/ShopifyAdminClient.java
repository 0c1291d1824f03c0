package io.dropship.gateway.stores;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.listings.StoreListings;
import io.dropship.gateway.messaging.events.Shipped;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Tracking to a Shopify store through the GraphQL Admin API: reads the order's fulfillment orders, then
 * creates a fulfillment with {@code fulfillmentCreate} for exactly the fulfillment-order lines the shipment
 * covers, with its carrier, number and URL. Repeating it is safe: lines already fulfilled have no remaining
 * quantity, so a retry after a lost answer creates nothing twice.
 */
@ApplicationScoped
public class ShopifyAdminClient {

    static final String FULFILLMENT_ORDERS = """
            query FulfillmentOrders($id: ID!) {
              order(id: $id) {
                id
                fulfillmentOrders(first: 20) {
                  nodes { id status lineItems(first: 100) { nodes { id remainingQuantity lineItem { id } } } }
                }
              }
            }""";

    static final String FULFILLMENT_CREATE = """
            mutation FulfillmentCreate($fulfillment: FulfillmentInput!) {
              fulfillmentCreate(fulfillment: $fulfillment) {
                fulfillment { id status }
                userErrors { field message }
              }
            }""";

    static final String PRODUCT_SET = """
            mutation ProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!, $synchronous: Boolean!) {
              productSet(identifier: $identifier, synchronous: $synchronous, input: $input) {
                product { id variants(first: 1) { nodes { id sku price inventoryItem { id } } } }
                userErrors { field message code }
              }
            }""";

    /**
     * Cancels the order, refunding the customer to the original payment and telling them; no restock, because the
     * shop's quantities are the suppliers' stock, which the platform keeps in sync.
     */
    static final String ORDER_CANCEL = """
            mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refundMethod: OrderCancelRefundMethodInput,
                                 $restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) {
              orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: $restock,
                          notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
                job { id done }
                orderCancelUserErrors { field message code }
              }
            }""";

    /** The order is not cancelled at the shop (yet): the mutation is to be sent. */
    private static final PushResult NOT_CANCELLED = new PushResult.Retry(null, "not cancelled at the shop");

    static final String ORDER_CANCELLED_AT = "query OrderCancelledAt($id: ID!) { order(id: $id) { id cancelledAt } }";

    static final String PRIMARY_LOCATION = "query PrimaryLocation { location { id } }";

    /**
     * Absolute quantities with compare-and-set: each quantity names the quantity the shop should hold now
     * ({@code changeFromQuantity}, null when it is not known); the idempotency key makes a retried call count once.
     */
    static final String INVENTORY_SET = """
            mutation InventorySet($input: InventorySetQuantitiesInput!, $key: String!) {
              inventorySetQuantities(input: $input) @idempotent(key: $key) {
                inventoryAdjustmentGroup { id }
                userErrors { code field message }
              }
            }""";

    static final String INVENTORY_LEVELS = """
            query InventoryLevels($ids: [ID!]!, $locationId: ID!) {
              nodes(ids: $ids) {
                ... on InventoryItem { id inventoryLevel(locationId: $locationId) { quantities(names: ["available"]) { name quantity } } }
              }
            }""";

    /** At most this many quantities per inventorySetQuantities call, as the Admin API allows. */
    public static final int MAX_QUANTITIES = 250;

    /** One quantity to set: the item, the quantity, and the quantity the shop is believed to hold (null: unknown). */
    public record QuantityChange(String inventoryItemId, int quantity, Integer changeFrom) {}

    private final StoreHttp http;
    private final GatewayConfig.Shopify config;

    public ShopifyAdminClient(StoreHttp http, GatewayConfig config) {
        this.http = http;
        this.config = config.shopify();
    }

    public String graphqlUrl(String shopDomain) {
        return config.adminUrl().replace("{shop}", shopDomain) + "/admin/api/" + config.apiVersion() + "/graphql.json";
    }

    /**
     * Creates the fulfillment for a shipment. {@code beforeCall} is awaited before each call (the store's rate
     * limiter); {@code onThrottle} hears how long Shopify's cost budget needs to refill.
     */
    public Uni<PushResult> fulfil(
            String shopDomain, String accessToken, Shipped shipment, Supplier<Uni<Void>> beforeCall) {
        String url = graphqlUrl(shopDomain);
        JsonObject query = new JsonObject()
                .put("query", FULFILLMENT_ORDERS)
                .put("variables", new JsonObject().put("id", "gid://shopify/Order/" + shipment.storeOrderId()));
        return beforeCall
                .get()
                .chain(() -> graphql(url, accessToken, query, data -> {
                    JsonObject order = data.getJsonObject("order");
                    if (order == null) {
                        return Uni.createFrom()
                                .item(new PushResult.Failed(
                                        "order " + shipment.storeOrderId() + " is not in the shop"));
                    }
                    Map<String, JsonArray> byFulfillmentOrder = allocate(order, shipment);
                    if (byFulfillmentOrder.isEmpty()) {
                        return Uni.createFrom()
                                .item(new PushResult.Done(
                                        null, "the shop has no unfulfilled quantity left for these lines"));
                    }
                    return createEach(
                            url,
                            accessToken,
                            shipment,
                            new ArrayList<>(byFulfillmentOrder.entrySet()),
                            new ArrayList<>(),
                            beforeCall);
                }));
    }

    /**
     * Cancels the order at the shop with {@code orderCancel}. Shopify's customer e-mail gives the reason
     * ({@code INVENTORY} when no supplier could supply it, else {@code OTHER}); the staff note carries the platform's
     * reason and the retailer's words. A retry ({@code firstTry} false) first asks whether the order is cancelled
     * already, so a call whose answer was lost is not repeated; an order cancelled meanwhile counts as done.
     */
    public Uni<PushResult> cancel(
            String shopDomain,
            String accessToken,
            String storeOrderId,
            boolean forWantOfStock,
            String staffNote,
            boolean firstTry,
            Supplier<Uni<Void>> beforeCall) {
        String url = graphqlUrl(shopDomain);
        String gid = "gid://shopify/Order/" + storeOrderId;
        Uni<PushResult> already = firstTry
                ? Uni.createFrom().item(NOT_CANCELLED)
                : beforeCall
                        .get()
                        .chain(() -> graphql(
                                url,
                                accessToken,
                                new JsonObject()
                                        .put("query", ORDER_CANCELLED_AT)
                                        .put("variables", new JsonObject().put("id", gid)),
                                data -> {
                                    JsonObject order = data.getJsonObject("order");
                                    if (order == null) {
                                        return Uni.createFrom()
                                                .item(new PushResult.Failed(
                                                        "order " + storeOrderId + " is not in the shop"));
                                    }
                                    return Uni.createFrom()
                                            .item(
                                                    order.getString("cancelledAt") != null
                                                            ? new PushResult.Done(
                                                                    null, "the shop had cancelled the order already")
                                                            : NOT_CANCELLED);
                                }));
        return already.chain(known -> known != NOT_CANCELLED
                ? Uni.createFrom().item(known)
                : beforeCall
                        .get()
                        .chain(() -> graphql(
                                url,
                                accessToken,
                                new JsonObject()
                                        .put("query", ORDER_CANCEL)
                                        .put(
                                                "variables",
                                                new JsonObject()
                                                        .put("orderId", gid)
                                                        .put("reason", forWantOfStock ? "INVENTORY" : "OTHER")
                                                        .put(
                                                                "refundMethod",
                                                                new JsonObject()
                                                                        .put("originalPaymentMethodsRefund", true))
                                                        .put("restock", false)
                                                        .put("notifyCustomer", true)
                                                        .put(
                                                                "staffNote",
                                                                staffNote == null || staffNote.length() <= 255
                                                                        ? staffNote
                                                                        : staffNote.substring(0, 255))),
                                data -> {
                                    JsonObject payload = data.getJsonObject("orderCancel", new JsonObject());
                                    JsonArray errors = payload.getJsonArray("orderCancelUserErrors", new JsonArray());
                                    if (!errors.isEmpty()) {
                                        String message = errors.getJsonObject(0).getString("message", "refused");
                                        return Uni.createFrom()
                                                .item(
                                                        message.toLowerCase().contains("already been cancel")
                                                                ? new PushResult.Done(
                                                                        null,
                                                                        "the shop had cancelled the order already")
                                                                : new PushResult.Failed(
                                                                        "Shopify refused the cancellation: "
                                                                                + message));
                                    }
                                    JsonObject job = payload.getJsonObject("job", new JsonObject());
                                    return Uni.createFrom()
                                            .item(new PushResult.Done(
                                                    job.getString("id"),
                                                    "order cancelled at the shop; the customer refunded and told"));
                                })));
    }

    /**
     * Creates or updates the store product for a listing with {@code productSet} (synchronous): one variant with the
     * listing's SKU, price and compare-at price, its title, description, status and images. Once the shop has the
     * product, its id and the variant's id are sent along, so the update keeps the same variant (and so the order
     * lines that name it) instead of replacing it.
     */
    public Uni<PushResult> productSet(
            String shopDomain, String accessToken, StoreListings.Claimed listing, Supplier<Uni<Void>> beforeCall) {
        JsonObject variant = new JsonObject()
                .put(
                        "optionValues",
                        new JsonArray()
                                .add(new JsonObject().put("optionName", "Title").put("name", "Default Title")))
                .put("price", listing.price().toPlainString())
                .put(
                        "compareAtPrice",
                        listing.compareAtPrice() == null
                                ? null
                                : listing.compareAtPrice().toPlainString())
                .put("inventoryItem", new JsonObject().put("sku", listing.sku()).put("tracked", true));
        JsonObject input = new JsonObject()
                .put("title", listing.title())
                .put("descriptionHtml", listing.description() == null ? "" : escape(listing.description()))
                .put(
                        "status",
                        "ACTIVE".equals(listing.status()) ? listing.stockHidden() ? "DRAFT" : "ACTIVE" : "ARCHIVED")
                .put(
                        "productOptions",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("name", "Title")
                                        .put(
                                                "values",
                                                new JsonArray().add(new JsonObject().put("name", "Default Title")))))
                .put("variants", new JsonArray().add(variant));
        JsonObject identifier = null;
        if (listing.storeProductId() != null) {
            input.put("id", listing.storeProductId());
            if (listing.storeVariantId() != null) {
                variant.put("id", listing.storeVariantId());
            }
        } else {
            // A product not known yet is upserted by a handle made from the listing: a retry after a lost answer
            // finds the product the first call made instead of creating a second one.
            input.put("handle", handle(listing.listingId()));
            identifier = new JsonObject().put("handle", handle(listing.listingId()));
        }
        JsonArray files = new JsonArray();
        listing.images()
                .forEach(url ->
                        files.add(new JsonObject().put("originalSource", url).put("contentType", "IMAGE")));
        input.put("files", files);
        JsonObject mutation = new JsonObject()
                .put("query", PRODUCT_SET)
                .put(
                        "variables",
                        new JsonObject()
                                .put("identifier", identifier)
                                .put("input", input)
                                .put("synchronous", true));
        return beforeCall
                .get()
                .chain(() -> graphql(graphqlUrl(shopDomain), accessToken, mutation, data -> {
                    JsonObject payload = data.getJsonObject("productSet", new JsonObject());
                    JsonArray errors = payload.getJsonArray("userErrors", new JsonArray());
                    if (!errors.isEmpty()) {
                        List<String> messages = new ArrayList<>();
                        errors.forEach(e -> messages.add(((JsonObject) e).getString("message")));
                        return Uni.createFrom()
                                .item(new PushResult.Failed(
                                        "Shopify refused the product: " + String.join("; ", messages)));
                    }
                    JsonObject product = payload.getJsonObject("product");
                    if (product == null) {
                        return Uni.createFrom().item(PushResult.retry("Shopify answered productSet without a product"));
                    }
                    JsonArray variants =
                            product.getJsonObject("variants", new JsonObject()).getJsonArray("nodes", new JsonArray());
                    JsonObject first = variants.isEmpty() ? new JsonObject() : variants.getJsonObject(0);
                    return Uni.createFrom()
                            .item(new PushResult.Listed(
                                    product.getString("id"),
                                    first.getString("id"),
                                    first.getJsonObject("inventoryItem", new JsonObject())
                                            .getString("id")));
                }));
    }

    static final String PRODUCT_STATUS = """
            mutation ProductStatus($product: ProductUpdateInput!) {
              productUpdate(product: $product) {
                product { id status }
                userErrors { field message }
              }
            }""";

    /** Hides a product (DRAFT: off every sales channel) or shows it again (ACTIVE). */
    public Uni<PushResult> productStatus(
            String shopDomain, String accessToken, String productId, boolean visible, Supplier<Uni<Void>> beforeCall) {
        JsonObject mutation = new JsonObject()
                .put("query", PRODUCT_STATUS)
                .put(
                        "variables",
                        new JsonObject()
                                .put(
                                        "product",
                                        new JsonObject()
                                                .put("id", productId)
                                                .put("status", visible ? "ACTIVE" : "DRAFT")));
        return beforeCall
                .get()
                .chain(() -> graphql(graphqlUrl(shopDomain), accessToken, mutation, data -> {
                    JsonObject payload = data.getJsonObject("productUpdate", new JsonObject());
                    JsonArray errors = payload.getJsonArray("userErrors", new JsonArray());
                    if (!errors.isEmpty()) {
                        List<String> messages = new ArrayList<>();
                        errors.forEach(e -> messages.add(((JsonObject) e).getString("message")));
                        return Uni.createFrom()
                                .item(new PushResult.Failed(
                                        "Shopify refused the status: " + String.join("; ", messages)));
                    }
                    return Uni.createFrom().item(new PushResult.Done(productId, visible ? "shown" : "hidden"));
                }));
    }

    /** The shop's primary location, where stock is set. */
    public Uni<PushResult> primaryLocation(String shopDomain, String accessToken, Supplier<Uni<Void>> beforeCall) {
        JsonObject query = new JsonObject().put("query", PRIMARY_LOCATION);
        return beforeCall
                .get()
                .chain(() -> graphql(graphqlUrl(shopDomain), accessToken, query, data -> {
                    JsonObject location = data.getJsonObject("location");
                    return Uni.createFrom()
                            .item(
                                    location == null || location.getString("id") == null
                                            ? new PushResult.Failed("the shop has no location to keep stock at")
                                            : new PushResult.Done(location.getString("id"), "primary location"));
                }));
    }

    /**
     * Sets up to 250 available quantities at the location in one call, each compared with what the shop holds. The
     * call is all or nothing: when a quantity is stale, that one answers {@link PushResult.Stale} and the others
     * {@link PushResult.Retry} (nothing was set); otherwise each answers Done.
     */
    public Uni<List<PushResult>> setQuantities(
            String shopDomain,
            String accessToken,
            String locationId,
            List<QuantityChange> changes,
            String idempotencyKey,
            Supplier<Uni<Void>> beforeCall) {
        JsonArray quantities = new JsonArray();
        for (QuantityChange c : changes) {
            quantities.add(new JsonObject()
                    .put("inventoryItemId", c.inventoryItemId())
                    .put("locationId", locationId)
                    .put("quantity", c.quantity())
                    .put("changeFromQuantity", c.changeFrom()));
        }
        JsonObject input = new JsonObject()
                .put("name", "available")
                .put("reason", "correction")
                .put("referenceDocumentUri", "dropship://stock-sync/" + idempotencyKey)
                .put("quantities", quantities);
        JsonObject mutation = new JsonObject()
                .put("query", INVENTORY_SET)
                .put("variables", new JsonObject().put("input", input).put("key", idempotencyKey));
        List<PushResult> out = new ArrayList<>();
        return beforeCall
                .get()
                .chain(() -> graphql(graphqlUrl(shopDomain), accessToken, mutation, data -> {
                    JsonObject payload = data.getJsonObject("inventorySetQuantities", new JsonObject());
                    JsonArray errors = payload.getJsonArray("userErrors", new JsonArray());
                    if (errors.isEmpty()) {
                        changes.forEach(c -> out.add(new PushResult.Done(null, "quantity set")));
                        return Uni.createFrom().item(new PushResult.Done(null, "quantities set"));
                    }
                    java.util.Map<Integer, String> stale = new java.util.HashMap<>();
                    List<String> other = new ArrayList<>();
                    for (Object o : errors) {
                        JsonObject e = (JsonObject) o;
                        JsonArray field = e.getJsonArray("field", new JsonArray());
                        String code = e.getString("code", "");
                        if (code.endsWith("_STALE") && field.size() >= 3) {
                            try {
                                stale.put(Integer.parseInt(String.valueOf(field.getValue(2))), e.getString("message"));
                                continue;
                            } catch (NumberFormatException ignored) {
                                // not an indexed quantity: reported with the others
                            }
                        }
                        other.add(e.getString("message") + (code.isEmpty() ? "" : " (" + code + ")"));
                    }
                    if (!other.isEmpty()) {
                        return Uni.createFrom()
                                .item(new PushResult.Failed(
                                        "Shopify refused the quantities: " + String.join("; ", other)));
                    }
                    for (int i = 0; i < changes.size(); i++) {
                        out.add(
                                stale.containsKey(i)
                                        ? new PushResult.Stale("the shop's quantity changed: " + stale.get(i))
                                        : PushResult.retry("not set: another quantity in the same call was stale"));
                    }
                    return Uni.createFrom().item(new PushResult.Done(null, "some quantities were stale"));
                }))
                .map(whole ->
                        whole instanceof PushResult.Done ? out : java.util.Collections.nCopies(changes.size(), whole));
    }

    /** The available quantity of each inventory item at the location (an item the shop does not know is left out). */
    public Uni<java.util.Map<String, Integer>> readQuantities(
            String shopDomain,
            String accessToken,
            String locationId,
            List<String> inventoryItemIds,
            Supplier<Uni<Void>> beforeCall) {
        JsonObject query = new JsonObject()
                .put("query", INVENTORY_LEVELS)
                .put(
                        "variables",
                        new JsonObject()
                                .put("ids", new JsonArray(new ArrayList<>(inventoryItemIds)))
                                .put("locationId", locationId));
        java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
        return beforeCall
                .get()
                .chain(() -> graphql(graphqlUrl(shopDomain), accessToken, query, data -> {
                    for (Object n : data.getJsonArray("nodes", new JsonArray())) {
                        if (!(n instanceof JsonObject node) || node.getJsonObject("inventoryLevel") == null) {
                            continue;
                        }
                        for (Object q :
                                node.getJsonObject("inventoryLevel").getJsonArray("quantities", new JsonArray())) {
                            JsonObject quantity = (JsonObject) q;
                            if ("available".equals(quantity.getString("name"))) {
                                out.put(node.getString("id"), quantity.getInteger("quantity"));
                            }
                        }
                    }
                    return Uni.createFrom().item(new PushResult.Done(null, "read"));
                }))
                .map(r -> {
                    if (r instanceof PushResult.Done) {
                        return out;
                    }
                    throw new StoreCallFailed(r);
                });
    }

    /** A read that did not come back: what the store said, to be handled like a failed push. */
    public static final class StoreCallFailed extends RuntimeException {
        public final PushResult result;

        StoreCallFailed(PushResult result) {
            super(String.valueOf(result), null, false, false);
            this.result = result;
        }
    }

    /** The handle a listing's product is created with (letters, digits and hyphens, as Shopify's handles are). */
    static String handle(String listingId) {
        return "dropship-" + listingId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

    /** Plain text as HTML: the supplier's description is text, and Shopify's field is HTML. */
    static String escape(String text) {
        return "<p>"
                + text.replace("&", "&amp;")
                        .replace("<", "&lt;")
                        .replace(">", "&gt;")
                        .replace("\n", "<br>") + "</p>";
    }

    /** One fulfillmentCreate per fulfillment order: orders at different locations cannot share a fulfillment. */
    private Uni<PushResult> createEach(
            String url,
            String token,
            Shipped shipment,
            List<Map.Entry<String, JsonArray>> left,
            List<String> created,
            Supplier<Uni<Void>> beforeCall) {
        if (left.isEmpty()) {
            return Uni.createFrom().item(new PushResult.Done(String.join(",", created), "fulfilled with tracking"));
        }
        Map.Entry<String, JsonArray> next = left.remove(0);
        JsonObject tracking =
                new JsonObject().put("company", shipment.carrier()).put("number", shipment.trackingNumber());
        if (shipment.trackingUrl() != null) {
            tracking.put("url", shipment.trackingUrl());
        }
        JsonObject fulfillment = new JsonObject()
                .put(
                        "lineItemsByFulfillmentOrder",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("fulfillmentOrderId", next.getKey())
                                        .put("fulfillmentOrderLineItems", next.getValue())))
                .put("trackingInfo", tracking)
                .put("notifyCustomer", true);
        JsonObject mutation = new JsonObject()
                .put("query", FULFILLMENT_CREATE)
                .put("variables", new JsonObject().put("fulfillment", fulfillment));
        return beforeCall
                .get()
                .chain(() -> graphql(url, token, mutation, data -> {
                    JsonObject payload = data.getJsonObject("fulfillmentCreate", new JsonObject());
                    JsonArray errors = payload.getJsonArray("userErrors", new JsonArray());
                    if (!errors.isEmpty()) {
                        List<String> messages = new ArrayList<>();
                        errors.forEach(e -> messages.add(((JsonObject) e).getString("message")));
                        return Uni.createFrom()
                                .item(new PushResult.Failed(
                                        "Shopify refused the fulfillment: " + String.join("; ", messages)));
                    }
                    JsonObject f = payload.getJsonObject("fulfillment");
                    created.add(f == null ? "?" : f.getString("id"));
                    return createEach(url, token, shipment, left, created, beforeCall);
                }));
    }

    /**
     * Which fulfillment-order lines the shipment covers: each shipped store line takes what is still to be
     * fulfilled of its order line, across the open fulfillment orders, up to the quantity shipped.
     */
    static Map<String, JsonArray> allocate(JsonObject order, Shipped shipment) {
        Map<String, Integer> toShip = new LinkedHashMap<>();
        for (Shipped.Line line : shipment.lines()) {
            toShip.merge("gid://shopify/LineItem/" + line.lineId(), line.quantity(), Integer::sum);
        }
        Map<String, JsonArray> out = new LinkedHashMap<>();
        for (Object n :
                order.getJsonObject("fulfillmentOrders", new JsonObject()).getJsonArray("nodes", new JsonArray())) {
            JsonObject fo = (JsonObject) n;
            String status = fo.getString("status", "");
            if (!status.equals("OPEN") && !status.equals("IN_PROGRESS")) {
                continue;
            }
            for (Object i : fo.getJsonObject("lineItems", new JsonObject()).getJsonArray("nodes", new JsonArray())) {
                JsonObject item = (JsonObject) i;
                String lineItem =
                        item.getJsonObject("lineItem", new JsonObject()).getString("id");
                int wanted = toShip.getOrDefault(lineItem, 0);
                int take = Math.min(wanted, item.getInteger("remainingQuantity", 0));
                if (take > 0) {
                    out.computeIfAbsent(fo.getString("id"), k -> new JsonArray())
                            .add(new JsonObject()
                                    .put("id", item.getString("id"))
                                    .put("quantity", take));
                    toShip.put(lineItem, wanted - take);
                }
            }
        }
        return out;
    }

    /**
     * Each shop's cost budget (per shop endpoint, shared by everything that calls the shop from this instance), and
     * what each query asked of it the last time (its requestedQueryCost; 10 before the first answer).
     */
    private final Map<String, ShopifyBudget> budgets = new java.util.concurrent.ConcurrentHashMap<>();

    private final Map<String, Double> queryCost = new java.util.concurrent.ConcurrentHashMap<>();

    ShopifyBudget budget(String url) {
        return budgets.computeIfAbsent(url, u -> new ShopifyBudget());
    }

    private Uni<PushResult> graphql(
            String url,
            String token,
            JsonObject body,
            java.util.function.Function<JsonObject, Uni<PushResult>> onData) {
        ShopifyBudget budget = budget(url);
        String query = body.getString("query", "");
        double cost = queryCost.getOrDefault(query, 10.0);
        Duration wait = budget.take(cost);
        // The points go back to the estimate once, with the shop's answer when there is one (a 5xx or a lost
        // connection has none).
        java.util.concurrent.atomic.AtomicBoolean settled = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.Consumer<JsonObject> answered = json -> {
            if (settled.compareAndSet(false, true)) {
                budget.answered(cost, json);
            }
        };
        Uni<Void> turn = wait.isZero() ? Uni.createFrom().voidItem() : io.dropship.platform.work.OwnContext.sleep(wait);
        return turn.chain(() -> http.send(
                        http.request(HttpMethod.POST, url).putHeader("X-Shopify-Access-Token", token),
                        body,
                        (HttpResponse<Buffer> response) -> {
                            JsonObject json;
                            try {
                                json = response.bodyAsJsonObject();
                            } catch (RuntimeException e) {
                                answered.accept(null);
                                return Uni.createFrom()
                                        .item(PushResult.retry("Shopify answered with something that is not JSON"));
                            }
                            answered.accept(json);
                            Double requested = json == null
                                    ? null
                                    : json.getJsonObject("extensions", new JsonObject())
                                            .getJsonObject("cost", new JsonObject())
                                            .getDouble("requestedQueryCost");
                            if (requested != null) {
                                queryCost.put(query, requested);
                            }
                            JsonArray errors = json == null ? null : json.getJsonArray("errors");
                            if (errors != null && !errors.isEmpty()) {
                                JsonObject first = errors.getJsonObject(0);
                                if ("THROTTLED"
                                        .equals(first.getJsonObject("extensions", new JsonObject())
                                                .getString("code"))) {
                                    return Uni.createFrom()
                                            .item(new PushResult.Retry(refill(json), "THROTTLED by Shopify"));
                                }
                                return Uni.createFrom()
                                        .item(new PushResult.Failed("Shopify: " + first.getString("message")));
                            }
                            if (json == null || json.getJsonObject("data") == null) {
                                return Uni.createFrom().item(PushResult.retry("Shopify answered without data"));
                            }
                            return onData.apply(json.getJsonObject("data"));
                        }))
                .onItemOrFailure()
                .invoke((result, failure) -> answered.accept(null));
    }

    /** How long until the cost budget holds what the throttled query asked for, from Shopify's throttle status. */
    static Duration refill(JsonObject response) {
        JsonObject cost =
                response.getJsonObject("extensions", new JsonObject()).getJsonObject("cost", new JsonObject());
        JsonObject throttle = cost.getJsonObject("throttleStatus", new JsonObject());
        double requested = cost.getDouble("requestedQueryCost", 10.0);
        double available = throttle.getDouble("currentlyAvailable", 0.0);
        double restore = throttle.getDouble("restoreRate", 50.0);
        double seconds = Math.max(1.0, (requested - available) / Math.max(1.0, restore));
        return Duration.ofMillis((long) (seconds * 1000));
    }
}
