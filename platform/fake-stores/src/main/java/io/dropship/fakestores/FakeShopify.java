package io.dropship.fakestores;

import static io.dropship.fakestores.FakeStores.JSON;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Shopify shop behind the GraphQL Admin API: orders with one fulfillment order each, the
 * {@code order { fulfillmentOrders }} query and the {@code fulfillmentCreate} mutation, checked as Shopify
 * checks them (access token, API version in the path, JSON body, fulfillment order line ids and remaining
 * quantities). Products by {@code productSet}; inventory at one location by {@code inventorySetQuantities} (from
 * API version 2026-04: the {@code @idempotent} key and each quantity's {@code changeFromQuantity} are required, a
 * stale one is refused as a whole with CHANGE_FROM_QUANTITY_STALE, a repeated key answers as the first time and
 * changes nothing) and read back through {@code nodes(ids:)} on inventory items. The app's cost budget is Shopify's
 * leaky bucket: each query's requested cost must be in the bucket when it arrives, else the answer is THROTTLED and
 * nothing is done; the bucket refills at the restore rate (the Standard plan's 2,000 points and 100 a second unless
 * set), and every answer reports it in {@code extensions.cost.throttleStatus}. Failures can be injected: Shopify's
 * THROTTLED answer or any HTTP status.
 */
public final class FakeShopify {

    /** A fulfillment as the shop recorded it: which order line items, how many, and the tracking. */
    public record Fulfillment(
            String id,
            long orderId,
            Map<Long, Integer> lineItems,
            String company,
            String number,
            String url,
            boolean notifyCustomer) {}

    /** A product as the shop holds it after productSet: one variant (the default option), its price and SKU, and images. */
    public record Product(
            String id,
            String title,
            String descriptionHtml,
            String status,
            String variantId,
            String sku,
            String price,
            String compareAtPrice,
            List<String> images,
            int updates,
            String inventoryItemId,
            String handle) {}

    /** One quantity the shop took, when (epoch millis) and by which call. */
    public record QuantitySet(String inventoryItemId, int quantity, long at, String idempotencyKey) {}

    public static final String LOCATION = "gid://shopify/Location/1";
    static final int MAX_QUANTITIES = 250;
    private final Map<String, Integer> inventory = new LinkedHashMap<>();
    private final Map<String, ObjectNode> idempotent = new LinkedHashMap<>();
    private final List<QuantitySet> quantitySets = new ArrayList<>();
    private int inventoryCalls;

    private static final AtomicLong IDS = FakeStores.ids(5_000_000_000L, 1_000);
    private final Map<String, Product> products = new LinkedHashMap<>();

    final String shopDomain;
    /** The Admin API token the shop accepts: set up front, or minted when the app is installed (FakeStores OAuth). */
    volatile String accessToken;
    /** Webhook subscriptions made through webhookSubscriptionCreate: id to topic and uri. */
    private final Map<String, String[]> subscriptions = new LinkedHashMap<>();

    private final Map<Long, Order> orders = new LinkedHashMap<>();
    /** An injected failure: an HTTP status (0 for THROTTLED), for the next request whose query names the operation (any when null). */
    private record Failure(int status, String operation) {
        boolean matches(String query) {
            return operation == null || query.contains(operation);
        }
    }

    private final ConcurrentLinkedDeque<Failure> failures = new ConcurrentLinkedDeque<>();

    /** The app's cost budget at the shop: points in the bucket as of {@code budgetAt} (System.nanoTime). */
    private double maximumAvailable = 2000;

    private double restoreRate = 100;
    private double available = maximumAvailable;
    private long budgetAt = System.nanoTime();
    private int throttledCalls;
    private int graphqlCalls;

    private static final class Order {
        final long id;
        final long fulfillmentOrderId = IDS.incrementAndGet();
        final Map<Long, Long> foLineByLineItem = new LinkedHashMap<>();
        final Map<Long, Integer> remaining = new LinkedHashMap<>();
        final Map<Long, Integer> total = new LinkedHashMap<>();
        final List<Fulfillment> fulfillments = new ArrayList<>();
        Cancellation cancellation;

        Order(long id) {
            this.id = id;
        }
    }

    FakeShopify(String shopDomain, String accessToken) {
        this.shopDomain = shopDomain;
        this.accessToken = accessToken;
    }

    /** webhookSubscriptionCreate as of 2025-10: the topic and {@code webhookSubscription.uri} (an https URL, or http here). */
    private FakeStores.Reply webhookSubscriptionCreate(JsonNode variables) {
        String topic = variables.path("topic").asText("");
        String uri = variables.path("webhookSubscription").path("uri").asText("");
        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("webhookSubscriptionCreate");
        if (!topic.matches("[A-Z_]+") || !uri.matches("https?://.+")) {
            payload.putNull("webhookSubscription");
            payload.putArray("userErrors")
                    .addObject()
                    .put("message", "Address is invalid")
                    .putArray("field")
                    .add("webhookSubscription")
                    .add("uri");
        } else if (subscriptions.values().stream().anyMatch(v -> v[0].equals(topic) && v[1].equals(uri))) {
            payload.putNull("webhookSubscription");
            payload.putArray("userErrors")
                    .addObject()
                    .put("message", "Address for this topic has already been taken")
                    .putArray("field")
                    .add("webhookSubscription")
                    .add("uri");
        } else {
            String id = "gid://shopify/WebhookSubscription/" + IDS.incrementAndGet();
            subscriptions.put(id, new String[] {topic, uri});
            payload.putObject("webhookSubscription")
                    .put("id", id)
                    .put("topic", topic)
                    .put("uri", uri);
            payload.putArray("userErrors");
        }
        response.set("extensions", cost(10, 1990));
        return FakeStores.Reply.of(200, response);
    }

    /** The shop's webhook subscriptions: id, topic, uri. */
    public synchronized List<Map<String, String>> subscriptions() {
        List<Map<String, String>> out = new ArrayList<>();
        subscriptions.forEach((id, v) -> out.add(Map.of("id", id, "topic", v[0], "uri", v[1])));
        return out;
    }

    /** The owner uninstalls the app: the token stops working and the subscriptions go; whom to tell app/uninstalled. */
    synchronized List<String> uninstall() {
        List<String> uris = subscriptions.values().stream()
                .filter(v -> v[0].equals("APP_UNINSTALLED"))
                .map(v -> v[1])
                .toList();
        subscriptions.clear();
        accessToken = "revoked-" + IDS.incrementAndGet();
        return uris;
    }

    /** How an order was cancelled through orderCancel: its reason, refund and restock choices, staff note and when. */
    public record Cancellation(
            String reason,
            boolean refundToOriginalPayment,
            boolean restock,
            boolean notifyCustomer,
            String staffNote,
            String cancelledAt) {}

    /** The order's cancellation, null while it is not cancelled (or not in the shop). */
    public synchronized Cancellation cancellation(long orderId) {
        Order order = orders.get(orderId);
        return order == null ? null : order.cancellation;
    }

    /** How many orderCancel mutations reached the shop (each answered, refused ones too). */
    public synchronized int cancelCalls() {
        return cancelCalls;
    }

    private int cancelCalls;

    /**
     * orderCancel as of 2025-10 and later: {@code orderId}, {@code reason} (OrderCancelReason), {@code refundMethod}
     * ({@code originalPaymentMethodsRefund}), {@code restock} (required), {@code notifyCustomer}, {@code staffNote}.
     * Answers a job; an order already cancelled, or with fulfillments, is refused with an INVALID orderCancelUserError,
     * an unknown one with NOT_FOUND, as Shopify does.
     */
    private FakeStores.Reply orderCancel(JsonNode variables) {
        cancelCalls++;
        String reason = variables.path("reason").asText("");
        if (!variables.path("restock").isBoolean()) {
            return errors("Variable $restock of type Boolean! was provided invalid value");
        }
        if (!List.of("CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF")
                .contains(reason)) {
            return errors("Variable $reason of type OrderCancelReason! was provided invalid value");
        }
        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("orderCancel");
        payload.putArray("userErrors");
        ArrayNode userErrors = payload.putArray("orderCancelUserErrors");
        Order order = orders.get(numericId(variables.path("orderId").asText(""), "Order"));
        if (order == null) {
            payload.putNull("job");
            userErrors
                    .addObject()
                    .put("code", "NOT_FOUND")
                    .put("message", "Order does not exist")
                    .putArray("field")
                    .add("orderId");
        } else if (order.cancellation != null) {
            payload.putNull("job");
            userErrors
                    .addObject()
                    .put("code", "INVALID")
                    .put("message", "Cannot cancel an order that has already been canceled")
                    .putArray("field")
                    .add("orderId");
        } else if (!order.fulfillments.isEmpty()) {
            payload.putNull("job");
            userErrors
                    .addObject()
                    .put("code", "INVALID")
                    .put("message", "Cannot cancel an order with fulfillments")
                    .putArray("field")
                    .add("orderId");
        } else {
            order.cancellation = new Cancellation(
                    reason,
                    variables
                            .path("refundMethod")
                            .path("originalPaymentMethodsRefund")
                            .asBoolean(false),
                    variables.path("restock").asBoolean(),
                    variables.path("notifyCustomer").asBoolean(false),
                    variables.path("staffNote").asText(null),
                    java.time.Instant.now().toString());
            payload.putObject("job")
                    .put("id", "gid://shopify/Job/" + java.util.UUID.randomUUID())
                    .put("done", false);
        }
        response.set("extensions", cost(10, 1990));
        return FakeStores.Reply.of(200, response);
    }

    private FakeStores.Reply orderCancelledAt(String orderGid) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode data = response.putObject("data");
        Order order = orders.get(numericId(orderGid, "Order"));
        if (order == null) {
            data.putNull("order");
        } else {
            ObjectNode o = data.putObject("order").put("id", orderGid);
            if (order.cancellation == null) {
                o.putNull("cancelledAt");
            } else {
                o.put("cancelledAt", order.cancellation.cancelledAt());
            }
        }
        response.set("extensions", cost(1, 1999));
        return FakeStores.Reply.of(200, response);
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

    /** The app's bucket at this shop: its size and how many points it regains a second; it starts full. */
    public synchronized FakeShopify budget(double maximum, double restore) {
        maximumAvailable = maximum;
        restoreRate = restore;
        available = maximum;
        budgetAt = System.nanoTime();
        return this;
    }

    /** GraphQL calls answered, and how many of them THROTTLED because the bucket held less than their cost. */
    public synchronized Map<String, Integer> calls() {
        return Map.of("graphql", graphqlCalls, "throttled", throttledCalls);
    }

    /** The next {@code n} requests are answered with Shopify's THROTTLED error. */
    public FakeShopify throttleNext(int n) {
        return throttleNext(n, null);
    }

    /** The next {@code n} requests for the operation (a query or mutation name, such as fulfillmentCreate) are THROTTLED. */
    public FakeShopify throttleNext(int n, String operation) {
        for (int i = 0; i < n; i++) {
            failures.add(new Failure(0, operation));
        }
        return this;
    }

    /** The next request is answered with this HTTP status (for example 500, 503, 401). */
    public FakeShopify failNext(int status) {
        return failNext(status, null);
    }

    /**
     * The next request for the operation (a query or mutation name, such as inventorySetQuantities) is answered with
     * this HTTP status; other requests, the reconciler's reads say, pass meanwhile.
     */
    public FakeShopify failNext(int status, String operation) {
        failures.add(new Failure(status, operation));
        return this;
    }

    /**
     * The next request for the operation (such as fulfillmentCreate) takes effect, but its answer is lost: the
     * connection closes before the response, so the caller has to retry without knowing what happened.
     */
    public FakeShopify loseNextAnswer(String operation) {
        failures.add(new Failure(FakeStores.LOSE_ANSWER, operation));
        return this;
    }

    /**
     * The next request for the operation takes effect and is answered as usual, with {@code bytes} of padding in an
     * extra field: an answer far larger than any the platform expects.
     */
    public FakeShopify padNextAnswer(String operation, int bytes) {
        padding.add(Map.entry(operation, bytes));
        return this;
    }

    private final ConcurrentLinkedDeque<Map.Entry<String, Integer>> padding = new ConcurrentLinkedDeque<>();

    public synchronized List<Fulfillment> fulfillments(long orderId) {
        Order order = orders.get(orderId);
        return order == null ? List.of() : List.copyOf(order.fulfillments);
    }

    public synchronized List<Product> products() {
        return List.copyOf(products.values());
    }

    /** The available quantity of each product's inventory item at the location, by SKU (unset items left out). */
    public synchronized Map<String, Integer> quantitiesBySku() {
        Map<String, Integer> out = new LinkedHashMap<>();
        products.values().forEach(p -> {
            Integer q = inventory.get(p.inventoryItemId());
            if (q != null) {
                out.put(p.sku(), q);
            }
        });
        return out;
    }

    /** The quantities applied since {@code sinceMillis}, by SKU, with when: for measuring how soon stock arrives. */
    public synchronized List<Map<String, Object>> quantitySetsSince(long sinceMillis) {
        Map<String, String> skuByItem = new LinkedHashMap<>();
        products.values().forEach(p -> skuByItem.put(p.inventoryItemId(), p.sku()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (QuantitySet q : quantitySets) {
            if (q.at() >= sinceMillis) {
                out.add(Map.of(
                        "sku",
                        String.valueOf(skuByItem.get(q.inventoryItemId())),
                        "quantity",
                        q.quantity(),
                        "at",
                        q.at()));
            }
        }
        return out;
    }

    /** How many inventorySetQuantities calls were made (a repeated idempotency key counts too). */
    public synchronized int inventoryCalls() {
        return inventoryCalls;
    }

    /** A sale in the shop: the item's available quantity drops, as Shopify does at checkout. */
    public synchronized FakeShopify sell(String sku, int quantity) {
        products.values().stream()
                .filter(p -> sku.equals(p.sku()))
                .findFirst()
                .ifPresent(p -> inventory.merge(p.inventoryItemId(), -quantity, Integer::sum));
        return this;
    }

    synchronized JsonNode orderView(long orderId) {
        Order order = orders.get(orderId);
        if (order == null) {
            return null;
        }
        ObjectNode view = JSON.createObjectNode().put("id", orderId);
        ArrayNode lines = view.putArray("lineItems");
        order.total.forEach((id, q) ->
                lines.addObject().put("id", id).put("quantity", q).put("remaining", order.remaining.get(id)));
        ArrayNode fulfillments = view.putArray("fulfillments");
        for (Fulfillment f : order.fulfillments) {
            ObjectNode o = fulfillments
                    .addObject()
                    .put("id", f.id())
                    .put("company", f.company())
                    .put("number", f.number())
                    .put("url", f.url())
                    .put("notifyCustomer", f.notifyCustomer());
            ArrayNode items = o.putArray("lineItems");
            f.lineItems().forEach((id, q) -> items.addObject().put("id", id).put("quantity", q));
        }
        return view;
    }

    synchronized FakeStores.Reply graphql(
            String method, String version, String token, String contentType, String body) {
        if (!method.equals("POST")) {
            return FakeStores.Reply.of(405, JSON.createObjectNode().put("errors", "GraphQL requests are POSTed"));
        }
        if (!version.matches("\\d{4}-(01|04|07|10)")) {
            return FakeStores.Reply.of(404, JSON.createObjectNode().put("errors", "Not Found"));
        }
        if (token == null || !token.equals(accessToken)) {
            return FakeStores.Reply.of(
                    401,
                    JSON.createObjectNode()
                            .put(
                                    "errors",
                                    "[API] Invalid API key or access token (unrecognized login or wrong password)"));
        }
        if (contentType == null || !contentType.startsWith("application/json")) {
            return FakeStores.Reply.of(
                    415, JSON.createObjectNode().put("errors", "Content-Type must be application/json"));
        }
        JsonNode request;
        try {
            request = FakeStores.read(body);
        } catch (IllegalArgumentException e) {
            return FakeStores.Reply.of(400, JSON.createObjectNode().put("errors", "body is not JSON"));
        }
        String query = request.path("query").asText("");
        JsonNode variables = request.path("variables");
        Failure failure =
                failures.stream().filter(f -> f.matches(query)).findFirst().orElse(null);
        if (failure != null && failures.remove(failure)) {
            if (failure.status() == FakeStores.LOSE_ANSWER) {
                return answer(query, version, variables).lose();
            }
            if (failure.status() == 0) {
                return throttled(10, 0);
            }
            return FakeStores.Reply.of(
                    failure.status(), JSON.createObjectNode().put("errors", "Internal Server Error"));
        }
        graphqlCalls++;
        long now = System.nanoTime();
        available = Math.min(maximumAvailable, available + restoreRate * (now - budgetAt) / 1e9);
        budgetAt = now;
        int requested = requestedCost(query, variables);
        if (available < requested) {
            throttledCalls++;
            return throttled(requested, available);
        }
        Map.Entry<String, Integer> pad = padding.stream()
                .filter(p -> query.contains(p.getKey()))
                .findFirst()
                .orElse(null);
        if (pad != null && padding.remove(pad)) {
            FakeStores.Reply reply = charged(answer(query, version, variables), requested);
            ((ObjectNode) reply.body()).put("padding", "x".repeat(pad.getValue()));
            return reply;
        }
        return charged(answer(query, version, variables), requested);
    }

    /**
     * What Shopify asks of the bucket before it runs a query: its requested cost, here as the answers report it
     * (inventorySetQuantities 10 and one per 10 quantities, inventory items' levels 2 and one per item, the location
     * and an order's cancelledAt 1, the fulfillment orders 7, any other 10).
     */
    private static int requestedCost(String query, JsonNode variables) {
        if (query.contains("inventorySetQuantities")) {
            return 10 + variables.path("input").path("quantities").size() / 10;
        }
        if (query.contains("inventoryLevel")) {
            return 2 + variables.path("ids").size();
        }
        if (query.contains("cancelledAt") && !query.contains("orderCancel")
                || query.matches("(?s).*\\blocation\\s*\\{.*")) {
            return 1;
        }
        if (query.contains("fulfillmentOrders") && !query.contains("fulfillmentCreate")) {
            return 7;
        }
        return 10;
    }

    /** The answer's cost taken from the bucket, and the bucket as it is now in its throttle status. */
    private FakeStores.Reply charged(FakeStores.Reply reply, int requested) {
        JsonNode cost =
                reply.body() == null ? null : reply.body().path("extensions").path("cost");
        int actual = cost == null || cost.isMissingNode()
                ? requested
                : cost.path("actualQueryCost").asInt(requested);
        available = Math.max(0, available - actual);
        if (cost instanceof ObjectNode c) {
            c.putObject("throttleStatus")
                    .put("maximumAvailable", maximumAvailable)
                    .put("currentlyAvailable", Math.floor(available))
                    .put("restoreRate", restoreRate);
        }
        return reply;
    }

    /** Shopify's THROTTLED answer: nothing was done; the bucket held {@code available} of the {@code requested}. */
    private FakeStores.Reply throttled(int requested, double available) {
        ObjectNode throttled = JSON.createObjectNode();
        throttled
                .putArray("errors")
                .addObject()
                .put("message", "Throttled")
                .putObject("extensions")
                .put("code", "THROTTLED")
                .put("documentation", "https://shopify.dev/api/usage/rate-limits");
        ObjectNode c = throttled
                .putObject("extensions")
                .putObject("cost")
                .put("requestedQueryCost", requested)
                .put("actualQueryCost", (Integer) null);
        c.putObject("throttleStatus")
                .put("maximumAvailable", maximumAvailable)
                .put("currentlyAvailable", Math.floor(available))
                .put("restoreRate", restoreRate);
        return FakeStores.Reply.of(200, throttled);
    }

    private FakeStores.Reply answer(String query, String version, JsonNode variables) {
        if (query.isBlank()) {
            return errors("No query string was present");
        }
        if (query.contains("webhookSubscriptionCreate")) {
            return webhookSubscriptionCreate(variables);
        }
        if (query.contains("webhookSubscriptionDelete")) {
            String id = variables.path("id").asText();
            ObjectNode response = JSON.createObjectNode();
            ObjectNode payload = response.putObject("data").putObject("webhookSubscriptionDelete");
            if (subscriptions.remove(id) != null) {
                payload.put("deletedWebhookSubscriptionId", id);
                payload.putArray("userErrors");
            } else {
                payload.putNull("deletedWebhookSubscriptionId");
                payload.putArray("userErrors")
                        .addObject()
                        .put("message", "Webhook subscription does not exist")
                        .putArray("field")
                        .add("id");
            }
            response.set("extensions", cost(10, 1990));
            return FakeStores.Reply.of(200, response);
        }
        if (query.contains("inventorySetQuantities")) {
            return inventorySetQuantities(query, version, variables);
        }
        if (query.contains("inventoryLevel")) {
            return inventoryLevels(
                    variables.path("ids"), variables.path("locationId").asText(""));
        }
        if (query.matches("(?s).*\\blocation\\s*\\{.*")) {
            ObjectNode response = JSON.createObjectNode();
            response.putObject("data").putObject("location").put("id", LOCATION);
            response.set("extensions", cost(1, 1999));
            return FakeStores.Reply.of(200, response);
        }
        if (query.contains("productUpdate")) {
            return productUpdate(variables.path("product"));
        }
        if (query.contains("productSet")) {
            return productSet(
                    variables.path("identifier"),
                    variables.path("input"),
                    variables.path("synchronous").asBoolean(false));
        }
        if (query.contains("orderCancel")) {
            return orderCancel(variables);
        }
        if (query.contains("cancelledAt")) {
            return orderCancelledAt(variables.path("id").asText(""));
        }
        if (query.contains("fulfillmentCreate")) {
            return fulfillmentCreate(
                    variables.path("fulfillment"), variables.path("message").asText(null));
        }
        if (query.contains("fulfillmentOrders")) {
            return fulfillmentOrders(variables.path("id").asText(""));
        }
        return errors(
                "the fake shop answers only order.fulfillmentOrders, order.cancelledAt, orderCancel, fulfillmentCreate, productSet,"
                        + " inventorySetQuantities, inventory items' inventoryLevel and the primary location");
    }

    private FakeStores.Reply fulfillmentOrders(String orderGid) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode data = response.putObject("data");
        Order order = orders.get(numericId(orderGid, "Order"));
        if (order == null) {
            data.putNull("order");
        } else {
            ObjectNode o = data.putObject("order").put("id", orderGid);
            ObjectNode fo = o.putObject("fulfillmentOrders")
                    .putArray("nodes")
                    .addObject()
                    .put("id", "gid://shopify/FulfillmentOrder/" + order.fulfillmentOrderId)
                    .put("status", order.remaining.values().stream().anyMatch(q -> q > 0) ? "OPEN" : "CLOSED");
            ArrayNode lines = fo.putObject("lineItems").putArray("nodes");
            order.foLineByLineItem.forEach((lineItem, foLine) -> lines.addObject()
                    .put("id", "gid://shopify/FulfillmentOrderLineItem/" + foLine)
                    .put("totalQuantity", order.total.get(lineItem))
                    .put("remainingQuantity", order.remaining.get(lineItem))
                    .putObject("lineItem")
                    .put("id", "gid://shopify/LineItem/" + lineItem));
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
            Order owner = orders.values().stream()
                    .filter(o -> o.fulfillmentOrderId == foId)
                    .findFirst()
                    .orElse(null);
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
                Long lineItem = owner.foLineByLineItem.entrySet().stream()
                        .filter(e -> e.getValue() == foLine)
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElse(null);
                if (lineItem == null) {
                    return userError("fulfillmentOrderLineItems", "Fulfillment order line item does not exist.");
                }
                if (!item.path("quantity").canConvertToInt()
                        || item.path("quantity").asInt() <= 0) {
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
            return userError(
                    "lineItemsByFulfillmentOrder", "Fulfillment order has no remaining line items to fulfill.");
        }
        JsonNode tracking = input.path("trackingInfo");
        Order target = order;
        take.forEach((lineItem, q) -> target.remaining.merge(lineItem, -q, Integer::sum));
        Fulfillment f = new Fulfillment(
                "gid://shopify/Fulfillment/" + IDS.incrementAndGet(),
                order.id,
                Map.copyOf(take),
                text(tracking, "company"),
                text(tracking, "number"),
                text(tracking, "url"),
                input.path("notifyCustomer").asBoolean(false));
        order.fulfillments.add(f);

        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("fulfillmentCreate");
        ObjectNode fulfillment =
                payload.putObject("fulfillment").put("id", f.id()).put("status", "SUCCESS");
        fulfillment
                .putArray("trackingInfo")
                .addObject()
                .put("company", f.company())
                .put("number", f.number())
                .put("url", f.url());
        payload.putArray("userErrors");
        response.set("extensions", cost(10, 1990));
        return FakeStores.Reply.of(200, response);
    }

    /**
     * productSet as the Admin API checks it for a one-variant product: a title, the options and each variant's option
     * values, a decimal price, an existing product (and variant) when an id is given. With an {@code identifier}
     * (2025-04 on) it upserts: the product with that id or handle is updated, and without one a product is created with
     * the handle. Only synchronous mode is faked.
     */
    private FakeStores.Reply productSet(JsonNode identifier, JsonNode input, boolean synchronous) {
        if (!input.isObject()) {
            return errors("Variable $input of type ProductSetInput! was provided invalid value");
        }
        if (!synchronous) {
            return errors("the fake shop runs productSet synchronously only");
        }
        String id = text(input, "id") != null ? text(input, "id") : text(identifier, "id");
        String byHandle = text(identifier, "handle");
        Product existing = id != null
                ? products.get(id)
                : byHandle == null
                        ? null
                        : products.values().stream()
                                .filter(p -> byHandle.equals(p.handle()))
                                .findFirst()
                                .orElse(null);
        if (id != null && existing == null) {
            return productSetError("id", "Product does not exist", "PRODUCT_DOES_NOT_EXIST");
        }
        String handle = text(input, "handle") != null
                ? text(input, "handle")
                : byHandle != null ? byHandle : existing != null ? existing.handle() : null;
        String title = text(input, "title");
        if ((title == null || title.isBlank()) && existing == null) {
            return productSetError("title", "Title can't be blank", "BLANK");
        }
        JsonNode variants = input.path("variants");
        if (!variants.isArray() || variants.size() != 1) {
            return productSetError("variants", "The fake shop takes exactly one variant", "INVALID_VARIANT");
        }
        JsonNode variant = variants.get(0);
        if (!input.path("productOptions").isArray()
                || !variant.path("optionValues").isArray()
                || variant.path("optionValues").isEmpty()) {
            return productSetError(
                    "variants.0.optionValues", "Option values must be present for each option", "INVALID_VARIANT");
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
            if (!"IMAGE".equals(f.path("contentType").asText())
                    || !f.path("originalSource").asText().startsWith("http")) {
                return productSetError(
                        "files", "File originalSource must be an http(s) URL of an IMAGE", "INVALID_INPUT");
            }
            images.add(f.path("originalSource").asText());
        }
        String productId = existing != null ? existing.id() : "gid://shopify/Product/" + IDS.incrementAndGet();
        // productSet replaces list fields: a variant sent without its id is a new variant, the old one is deleted.
        String newVariantId = variantId != null ? variantId : "gid://shopify/ProductVariant/" + IDS.incrementAndGet();
        String inventoryItemId = existing != null && variantId != null
                ? existing.inventoryItemId()
                : "gid://shopify/InventoryItem/" + IDS.incrementAndGet();
        Product product = new Product(
                productId,
                title != null ? title : existing.title(),
                text(input, "descriptionHtml"),
                input.path("status").asText("ACTIVE"),
                newVariantId,
                text(variant.path("inventoryItem"), "sku"),
                price,
                text(variant, "compareAtPrice"),
                List.copyOf(images),
                existing == null ? 0 : existing.updates() + 1,
                inventoryItemId,
                handle);
        products.put(productId, product);

        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("productSet");
        ObjectNode p = payload.putObject("product").put("id", productId);
        p.putObject("variants")
                .putArray("nodes")
                .addObject()
                .put("id", newVariantId)
                .put("sku", product.sku())
                .put("price", price)
                .putObject("inventoryItem")
                .put("id", inventoryItemId);
        payload.putArray("userErrors");
        response.set("extensions", cost(10, 1990));
        return FakeStores.Reply.of(200, response);
    }

    /** productUpdate of a product's status (ACTIVE, DRAFT or ARCHIVED), the one field the fake changes this way. */
    private FakeStores.Reply productUpdate(JsonNode input) {
        Product existing = products.get(text(input, "id"));
        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("productUpdate");
        String status = text(input, "status");
        if (existing == null
                || status == null
                || !List.of("ACTIVE", "DRAFT", "ARCHIVED").contains(status)) {
            payload.putNull("product");
            payload.putArray("userErrors")
                    .addObject()
                    .put("message", existing == null ? "Product does not exist" : "Status is not valid")
                    .putArray("field")
                    .add("product")
                    .add(existing == null ? "id" : "status");
            return FakeStores.Reply.of(200, response);
        }
        Product updated = new Product(
                existing.id(),
                existing.title(),
                existing.descriptionHtml(),
                status,
                existing.variantId(),
                existing.sku(),
                existing.price(),
                existing.compareAtPrice(),
                existing.images(),
                existing.updates() + 1,
                existing.inventoryItemId(),
                existing.handle());
        products.put(updated.id(), updated);
        payload.putObject("product").put("id", updated.id()).put("status", status);
        payload.putArray("userErrors");
        response.set("extensions", cost(10, 1990));
        return FakeStores.Reply.of(200, response);
    }

    /**
     * inventorySetQuantities as of 2026-04: {@code @idempotent(key:)} on the mutation, name "available" or "on_hand",
     * a reason, at most 250 quantities, each with a known item and location and an explicit changeFromQuantity. All
     * quantities are applied, or none.
     */
    private FakeStores.Reply inventorySetQuantities(String query, String version, JsonNode variables) {
        inventoryCalls++;
        String key = null;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "@idempotent\\(\\s*key:\\s*(\"([^\"]*)\"|\\$(\\w+))\\s*\\)")
                .matcher(query);
        if (m.find()) {
            key = m.group(2) != null ? m.group(2) : variables.path(m.group(3)).asText(null);
        }
        boolean required = version.compareTo("2026-04") >= 0;
        if (key == null || key.isBlank()) {
            if (required) {
                return errors("The @idempotent directive is required for this mutation.");
            }
        } else if (idempotent.containsKey(key)) {
            return FakeStores.Reply.of(200, idempotent.get(key).deepCopy());
        }
        JsonNode input = variables.path("input");
        String name = input.path("name").asText("");
        if (!name.equals("available") && !name.equals("on_hand")) {
            return inventoryError(
                    List.of("input", "name"), "The quantity name must be available or on_hand.", "INVALID_NAME");
        }
        if (input.path("reason").asText("").isBlank()) {
            return inventoryError(List.of("input", "reason"), "The reason is required.", "INVALID_REASON");
        }
        JsonNode quantities = input.path("quantities");
        if (!quantities.isArray() || quantities.isEmpty() || quantities.size() > MAX_QUANTITIES) {
            return inventoryError(
                    List.of("input", "quantities"),
                    "Between 1 and 250 quantities can be set in one call.",
                    "INVALID_QUANTITY_INPUT");
        }
        List<ObjectNode> stale = new ArrayList<>();
        for (int i = 0; i < quantities.size(); i++) {
            JsonNode q = quantities.get(i);
            String item = q.path("inventoryItemId").asText("");
            List<String> at = List.of("input", "quantities", String.valueOf(i));
            if (products.values().stream().noneMatch(p -> item.equals(p.inventoryItemId()))) {
                return inventoryError(
                        join(at, "inventoryItemId"),
                        "The specified inventory item could not be found.",
                        "INVALID_INVENTORY_ITEM");
            }
            if (!LOCATION.equals(q.path("locationId").asText(""))) {
                return inventoryError(
                        join(at, "locationId"), "The specified location could not be found.", "INVALID_LOCATION");
            }
            if (!q.path("quantity").canConvertToInt() || q.path("quantity").asInt() < 0) {
                return inventoryError(join(at, "quantity"), "The quantity must be a whole number.", "INVALID_QUANTITY");
            }
            if (required && !q.has("changeFromQuantity")) {
                return inventoryError(
                        join(at, "changeFromQuantity"),
                        "changeFromQuantity must be provided; pass null to skip the check.",
                        "CHANGE_FROM_QUANTITY_REQUIRED");
            }
            JsonNode from = required ? q.path("changeFromQuantity") : q.path("compareQuantity");
            boolean check = required
                    ? !from.isNull()
                    : !input.path("ignoreCompareQuantity").asBoolean(false);
            int current = inventory.getOrDefault(item, 0);
            if (check && (!from.canConvertToInt() || from.asInt() != current)) {
                ObjectNode e = JSON.createObjectNode()
                        .put("code", required ? "CHANGE_FROM_QUANTITY_STALE" : "COMPARE_QUANTITY_STALE")
                        .put("message", "The specified compare quantity does not match the current quantity.");
                ArrayNode f = e.putArray("field");
                join(at, required ? "changeFromQuantity" : "compareQuantity").forEach(f::add);
                stale.add(e);
            }
        }
        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("inventorySetQuantities");
        if (!stale.isEmpty()) {
            payload.putNull("inventoryAdjustmentGroup");
            ArrayNode errors = payload.putArray("userErrors");
            stale.forEach(errors::add);
        } else {
            long now = System.currentTimeMillis();
            for (JsonNode q : quantities) {
                inventory.put(
                        q.path("inventoryItemId").asText(), q.path("quantity").asInt());
                quantitySets.add(new QuantitySet(
                        q.path("inventoryItemId").asText(), q.path("quantity").asInt(), now, key));
            }
            payload.putObject("inventoryAdjustmentGroup")
                    .put("id", "gid://shopify/InventoryAdjustmentGroup/" + IDS.incrementAndGet())
                    .put("reason", input.path("reason").asText());
            payload.putArray("userErrors");
        }
        response.set("extensions", cost(10 + quantities.size() / 10, 1900));
        if (key != null) {
            idempotent.put(key, response.deepCopy());
        }
        return FakeStores.Reply.of(200, response);
    }

    /** {@code nodes(ids:)} on inventory items, each with its inventoryLevel at the location and its available quantity. */
    private FakeStores.Reply inventoryLevels(JsonNode ids, String locationId) {
        ObjectNode response = JSON.createObjectNode();
        ArrayNode nodes = response.putObject("data").putArray("nodes");
        for (JsonNode id : ids) {
            String item = id.asText();
            if (products.values().stream().noneMatch(p -> item.equals(p.inventoryItemId()))) {
                nodes.addNull();
                continue;
            }
            ObjectNode node = nodes.addObject().put("id", item);
            if (!LOCATION.equals(locationId)) {
                node.putNull("inventoryLevel");
                continue;
            }
            node.putObject("inventoryLevel")
                    .putArray("quantities")
                    .addObject()
                    .put("name", "available")
                    .put("quantity", inventory.getOrDefault(item, 0));
        }
        response.set("extensions", cost(2 + ids.size(), 1950));
        return FakeStores.Reply.of(200, response);
    }

    private static List<String> join(List<String> path, String last) {
        List<String> out = new ArrayList<>(path);
        out.add(last);
        return out;
    }

    private static FakeStores.Reply inventoryError(List<String> field, String message, String code) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("inventorySetQuantities");
        payload.putNull("inventoryAdjustmentGroup");
        ObjectNode error =
                payload.putArray("userErrors").addObject().put("code", code).put("message", message);
        ArrayNode f = error.putArray("field");
        field.forEach(f::add);
        return FakeStores.Reply.of(200, response);
    }

    private static FakeStores.Reply productSetError(String field, String message, String code) {
        ObjectNode response = JSON.createObjectNode();
        ObjectNode payload = response.putObject("data").putObject("productSet");
        payload.putNull("product");
        ObjectNode error = payload.putArray("userErrors")
                .addObject()
                .put("message", message)
                .put("code", code);
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
        ObjectNode c =
                cost.putObject("cost").put("requestedQueryCost", requested).put("actualQueryCost", requested);
        c.putObject("throttleStatus")
                .put("maximumAvailable", 2000.0)
                .put("currentlyAvailable", available)
                .put("restoreRate", 100.0);
        return cost;
    }
}
