package io.dropship.fakestores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

import static io.dropship.fakestores.FakeStores.JSON;

/**
 * One Shopify shop behind the GraphQL Admin API: orders with one fulfillment order each, the
 * {@code order { fulfillmentOrders }} query and the {@code fulfillmentCreate} mutation, checked as Shopify
 * checks them (access token, API version in the path, JSON body, fulfillment order line ids and remaining
 * quantities). Failures can be injected: Shopify's THROTTLED answer or any HTTP status.
 */
public final class FakeShopify {

    /** A fulfillment as the shop recorded it: which order line items, how many, and the tracking. */
    public record Fulfillment(String id, long orderId, Map<Long, Integer> lineItems, String company, String number,
                              String url, boolean notifyCustomer) {
    }

    /** A product as the shop holds it after productSet: one variant (the default option), its price and SKU, and images. */
    public record Product(String id, String title, String descriptionHtml, String status, String variantId, String sku,
                          String price, String compareAtPrice, List<String> images, int updates) {
    }

    private static final AtomicLong IDS = new AtomicLong(5_000_000_000L);
    private final Map<String, Product> products = new LinkedHashMap<>();

    final String shopDomain;
    final String accessToken;
    private final Map<Long, Order> orders = new LinkedHashMap<>();
    private final ConcurrentLinkedDeque<Integer> failures = new ConcurrentLinkedDeque<>();

    private static final class Order {
        final long id;
        final long fulfillmentOrderId = IDS.incrementAndGet();
        final Map<Long, Long> foLineByLineItem = new LinkedHashMap<>();
        final Map<Long, Integer> remaining = new LinkedHashMap<>();
        final Map<Long, Integer> total = new LinkedHashMap<>();
        final List<Fulfillment> fulfillments = new ArrayList<>();

        Order(long id) {
            this.id = id;
        }
    }

    FakeShopify(String shopDomain, String accessToken) {
        this.shopDomain = shopDomain;
        this.accessToken = accessToken;
    }

    /** An order in the shop: order line item id to quantity. */
    public synchronized FakeShopify addOrder(long orderId, Map<Long, Integer> lineItems) {
        Order order = new Order(orderId);
        lineItems.forEach((lineItem, quantity) -> {
            order.foLineByLineItem.put(lineItem, IDS.incrementAndGet());
            order.remaining.put(lineItem, quantity);
            order.total.put(lineItem, quantity);
        });
        orders.put(orderId, order);
        return this;
    }

    /** The next {@code n} requests are answered with Shopify's THROTTLED error. */
    public FakeShopify throttleNext(int n) {
        for (int i = 0; i < n; i++) {
            failures.add(0);
        }
        return this;
    }

    /** The next request is answered with this HTTP status (for example 500, 503, 401). */
    public FakeShopify failNext(int status) {
        failures.add(status);
        return this;
    }

    public synchronized List<Fulfillment> fulfillments(long orderId) {
        Order order = orders.get(orderId);
        return order == null ? List.of() : List.copyOf(order.fulfillments);
    }

    public synchronized List<Product> products() {
        return List.copyOf(products.values());
    }

    synchronized JsonNode orderView(long orderId) {
        Order order = orders.get(orderId);
        if (order == null) {
            return null;
        }
        ObjectNode view = JSON.createObjectNode().put("id", orderId);
        ArrayNode lines = view.putArray("lineItems");
        order.total.forEach((id, q) -> lines.addObject().put("id", id).put("quantity", q).put("remaining", order.remaining.get(id)));
        ArrayNode fulfillments = view.putArray("fulfillments");
        for (Fulfillment f : order.fulfillments) {
            ObjectNode o = fulfillments.addObject().put("id", f.id()).put("company", f.company()).put("number", f.number())
                    .put("url", f.url()).put("notifyCustomer", f.notifyCustomer());
            ArrayNode items = o.putArray("lineItems");
            f.lineItems().forEach((id, q) -> items.addObject().put("id", id).put("quantity", q));
        }
        return view;
    }

    synchronized FakeStores.Reply graphql(String method, String version, String token, String contentType, String body) {
        if (!method.equals("POST")) {
            return FakeStores.Reply.of(405, JSON.createObjectNode().put("errors", "GraphQL requests are POSTed"));
        }
        if (!version.matches("\\d{4}-(01|04|07|10)")) {
            return FakeStores.Reply.of(404, JSON.createObjectNode().put("errors", "Not Found"));
        }
        if (token == null || !token.equals(accessToken)) {
            return FakeStores.Reply.of(401, JSON.createObjectNode()
                    .put("errors", "[API] Invalid API key or access token (unrecognized login or wrong password)"));
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            return FakeStores.Reply.of(415, JSON.createObjectNode().put("errors", "Content-Type must be application/json"));
        }
        Integer failure = failures.poll();
        if (failure != null) {
            if (failure == 0) {
                ObjectNode throttled = JSON.createObjectNode();
                throttled.putArray("errors").addObject().put("message", "Throttled").putObject("extensions")
                        .put("code", "THROTTLED").put("documentation", "https://shopify.dev/api/usage/rate-limits");
                throttled.set("extensions", cost(10, 0));
                return FakeStores.Reply.of(200, throttled);
            }
            return FakeStores.Reply.of(failure, JSON.createObjectNode().put("errors", "Internal Server Error"));
        }
        JsonNode request;
        try {
            request = FakeStores.read(body);
        } catch (IllegalArgumentException e) {
            return FakeStores.Reply.of(400, JSON.createObjectNode().put("errors", "body is not JSON"));
        }
        String query = request.path("query").asText("");
        JsonNode variables = request.path("variables");
        if (query.isBlank()) {
            return errors("No query string was present");
        }
        if (query.contains("productSet")) {
            return productSet(variables.path("input"), variables.path("synchronous").asBoolean(false));
        }
        if (query.contains("fulfillmentCreate")) {
            return fulfillmentCreate(variables.path("fulfillment"), variables.path("message").asText(null));
        }
        if (query.contains("fulfillmentOrders")) {
            return fulfillmentOrders(variables.path("id").asText(""));
        }
        return errors("the fake shop answers only order.fulfillmentOrders, fulfillmentCreate and productSet");
    }

    private FakeStores.Reply fulfillmentOrders(String orderGid) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode data = response.putObject("data");
        Order order = orders.get(numericId(orderGid, "Order"));
        if (order == null) {
            data.putNull("order");
        } else {
            ObjectNode o = data.putObject("order").put("id", orderGid);
            ObjectNode fo = o.putObject("fulfillmentOrders").putArray("nodes").addObject()
                    .put("id", "gid://shopify/FulfillmentOrder/" + order.fulfillmentOrderId)
                    .put("status", order.remaining.values().stream().anyMatch(q -> q > 0) ? "OPEN" : "CLOSED");
            ArrayNode lines = fo.putObject("lineItems").putArray("nodes");
            order.foLineByLineItem.forEach((lineItem, foLine) -> lines.addObject()
                    .put("id", "gid://shopify/FulfillmentOrderLineItem/" + foLine)
                    .put("totalQuantity", order.total.get(lineItem))
                    .put("remainingQuantity", order.remaining.get(lineItem))
                    .putObject("lineItem").put("id", "gid://shopify/LineItem/" + lineItem));
        }
        response.set("extensions", cost(7, 1993));
        return FakeStores.Reply.of(200, response);
    }

    private FakeStores.Reply fulfillmentCreate(JsonNode input, String message) {
        if (!input.isObject()) {
            return errors("Variable $fulfillment of type FulfillmentInput! was provided invalid value");
        }
        JsonNode byOrder = input.path("lineItemsByFulfillmentOrder");
        if (!byOrder.isArray() || byOrder.isEmpty()) {
            return userError("lineItemsByFulfillmentOrder", "Line items by fulfillment order must be present");
        }
        Order order = null;
        Map<Long, Integer> take = new LinkedHashMap<>();
        for (JsonNode group : byOrder) {
            long foId = numericId(group.path("fulfillmentOrderId").asText(""), "FulfillmentOrder");
            Order owner = orders.values().stream().filter(o -> o.fulfillmentOrderId == foId).findFirst().orElse(null);
            if (owner == null) {
                return userError("fulfillmentOrderId", "Fulfillment order does not exist.");
            }
            if (order != null && order != owner) {
                return userError("lineItemsByFulfillmentOrder", "Fulfillment orders must belong to the same order.");
            }
            order = owner;
            JsonNode items = group.path("fulfillmentOrderLineItems");
            if (items.isMissingNode() || items.isNull()) {
                owner.remaining.forEach((lineItem, q) -> {
                    if (q > 0) {
                        take.merge(lineItem, q, Integer::sum);
                    }
                });
                continue;
            }
            for (JsonNode item : items) {
                long foLine = numericId(item.path("id").asText(""), "FulfillmentOrderLineItem");
                Long lineItem = owner.foLineByLineItem.entrySet().stream().filter(e -> e.getValue() == foLine)
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                if (lineItem == null) {
                    return userError("fulfillmentOrderLineItems", "Fulfillment order line item does not exist.");
                }
                if (!item.path("quantity").canConvertToInt() || item.path("quantity").asInt() <= 0) {
                    return userError("quantity", "Quantity must be greater than 0.");
                }
                take.merge(lineItem, item.path("quantity").asInt(), Integer::sum);
            }
        }
        for (Map.Entry<Long, Integer> e : take.entrySet()) {
            if (e.getValue() > order.remaining.get(e.getKey())) {
                return userError("quantity", "Invalid fulfillment order line item quantity requested.");
            }
        }
        if (take.isEmpty()) {
            return userError("lineItemsByFulfillmentOrder", "Fulfillment order has no remaining line items to fulfill.");
        }
        JsonNode tracking = input.path("trackingInfo");
        Order target = order;
        take.forEach((lineItem, q) -> target.remaining.merge(lineItem, -q, Integer::sum));
        Fulfillment f = new Fulfillment("gid://shopify/Fulfillment/" + IDS.incrementAndGet(), order.id, Map.copyOf(take),
                text(tracking, "company"), text(tracking, "number"), text(tracking, "url"),
                input.path("notifyCustomer").asBoolean(false));
        order.fulfillments.add(f);

        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("fulfillmentCreate");
        ObjectNode fulfillment = payload.putObject("fulfillment").put("id", f.id()).put("status", "SUCCESS");
        fulfillment.putArray("trackingInfo").addObject().put("company", f.company()).put("number", f.number()).put("url", f.url());
        payload.putArray("userErrors");
        response.set("extensions", cost(10, 1990));
        return FakeStores.Reply.of(200, response);
    }

    /**
     * productSet as the Admin API checks it for a one-variant product: a title, the options and each variant's option
     * values, a decimal price, an existing product (and variant) when an id is given. Only synchronous mode is faked.
     */
    private FakeStores.Reply productSet(JsonNode input, boolean synchronous) {
        if (!input.isObject()) {
            return errors("Variable $input of type ProductSetInput! was provided invalid value");
        }
        if (!synchronous) {
            return errors("the fake shop runs productSet synchronously only");
        }
        String id = text(input, "id");
        Product existing = id == null ? null : products.get(id);
        if (id != null && existing == null) {
            return productSetError("id", "Product does not exist", "PRODUCT_DOES_NOT_EXIST");
        }
        String title = text(input, "title");
        if ((title == null || title.isBlank()) && existing == null) {
            return productSetError("title", "Title can't be blank", "BLANK");
        }
        JsonNode variants = input.path("variants");
        if (!variants.isArray() || variants.size() != 1) {
            return productSetError("variants", "The fake shop takes exactly one variant", "INVALID_VARIANT");
        }
        JsonNode variant = variants.get(0);
        if (!input.path("productOptions").isArray() || !variant.path("optionValues").isArray() || variant.path("optionValues").isEmpty()) {
            return productSetError("variants.0.optionValues", "Option values must be present for each option", "INVALID_VARIANT");
        }
        String price = text(variant, "price");
        if (price == null || !price.matches("\\d{1,10}(\\.\\d{1,2})?")) {
            return productSetError("variants.0.price", "Price must be a decimal amount", "INVALID_VARIANT");
        }
        String variantId = text(variant, "id");
        if (variantId != null && (existing == null || !variantId.equals(existing.variantId()))) {
            return productSetError("variants.0.id", "Product variant does not exist", "PRODUCT_VARIANT_DOES_NOT_EXIST");
        }
        List<String> images = new ArrayList<>();
        for (JsonNode f : input.path("files")) {
            if (!"IMAGE".equals(f.path("contentType").asText()) || !f.path("originalSource").asText().startsWith("http")) {
                return productSetError("files", "File originalSource must be an http(s) URL of an IMAGE", "INVALID_INPUT");
            }
            images.add(f.path("originalSource").asText());
        }
        String productId = existing != null ? existing.id() : "gid://shopify/Product/" + IDS.incrementAndGet();
        // productSet replaces list fields: a variant sent without its id is a new variant, the old one is deleted.
        String newVariantId = variantId != null ? variantId : "gid://shopify/ProductVariant/" + IDS.incrementAndGet();
        Product product = new Product(productId, title != null ? title : existing.title(), text(input, "descriptionHtml"),
                input.path("status").asText("ACTIVE"), newVariantId, text(variant.path("inventoryItem"), "sku"), price,
                text(variant, "compareAtPrice"), List.copyOf(images), existing == null ? 0 : existing.updates() + 1);
        products.put(productId, product);

        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("productSet");
        ObjectNode p = payload.putObject("product").put("id", productId);
        p.putObject("variants").putArray("nodes").addObject().put("id", newVariantId).put("sku", product.sku()).put("price", price);
        payload.putArray("userErrors");
        response.set("extensions", cost(10, 1990));
        return FakeStores.Reply.of(200, response);
    }

    private static FakeStores.Reply productSetError(String field, String message, String code) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("productSet");
        payload.putNull("product");
        ObjectNode error = payload.putArray("userErrors").addObject().put("message", message).put("code", code);
        ArrayNode path = error.putArray("field").add("input");
        for (String part : field.split("\\.")) {
            path.add(part);
        }
        return FakeStores.Reply.of(200, response);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static long numericId(String gid, String type) {
        String prefix = "gid://shopify/" + type + "/";
        if (!gid.startsWith(prefix)) {
            return -1;
        }
        try {
            return Long.parseLong(gid.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static FakeStores.Reply errors(String message) {
        ObjectNode response = JSON.createObjectNode();
        response.putArray("errors").addObject().put("message", message);
        return FakeStores.Reply.of(200, response);
    }

    private static FakeStores.Reply userError(String field, String message) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("fulfillmentCreate");
        payload.putNull("fulfillment");
        ObjectNode error = payload.putArray("userErrors").addObject().put("message", message);
        error.putArray("field").add("fulfillment").add(field);
        return FakeStores.Reply.of(200, response);
    }

    private static ObjectNode cost(int requested, int available) {
        ObjectNode cost = JSON.createObjectNode();
        ObjectNode c = cost.putObject("cost").put("requestedQueryCost", requested).put("actualQueryCost", requested);
        c.putObject("throttleStatus").put("maximumAvailable", 2000.0).put("currentlyAvailable", available)
                .put("restoreRate", 100.0);
        return cost;
    }
}
