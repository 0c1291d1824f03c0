package io.dropship.fakestores;

import static io.dropship.fakestores.FakeStores.JSON;
import static io.dropship.fakestores.FakeStores.wooError;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One WooCommerce site behind REST API v3: orders, their notes ({@code POST orders/{id}/notes}) and status
 * updates ({@code PUT orders/{id}}), behind HTTP basic auth with the consumer key and secret, answering
 * WooCommerce's error shape ({@code code}, {@code message}, {@code data.status}). Failures can be
 * injected, such as a 429 with Retry-After from the site's host.
 */
public final class FakeWooCommerce {

    /** An order note as the site stored it. */
    public record Note(long id, String note, boolean customerNote, Instant createdAt) {}

    private record Failure(int status, Integer retryAfterSeconds, String route) {}

    /** A simple product as the site holds it. */
    public record Product(
            long id,
            String name,
            String sku,
            String regularPrice,
            String status,
            String description,
            List<String> images,
            int updates,
            boolean manageStock,
            Integer stockQuantity) {

        /** As WooCommerce derives it when the product manages its stock. */
        public String stockStatus() {
            return manageStock && stockQuantity != null && stockQuantity <= 0 ? "outofstock" : "instock";
        }
    }

    /** A stock quantity the site took through the batch endpoint, and when (epoch millis). */
    public record StockSet(String sku, int quantity, long at) {}

    private final List<StockSet> stockSets = new ArrayList<>();
    private int batchCalls;

    private static final AtomicLong IDS = FakeStores.ids(700, 20);
    private static final Set<String> STATUSES =
            Set.of("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash");
    private static final Pattern ORDER = Pattern.compile("orders/(\\d+)");
    private static final Pattern NOTES = Pattern.compile("orders/(\\d+)/notes");
    private static final Pattern PRODUCT = Pattern.compile("products/(\\d+)");
    private static final Set<String> PRODUCT_STATUSES = Set.of("draft", "pending", "private", "publish");

    final String site;
    /** The REST API keys the site accepts: set up front, or made when its owner approves an app (wc-auth). */
    volatile String consumerKey;

    volatile String consumerSecret;
    /** Webhooks made through POST webhooks: id to the webhook's JSON (with its secret, as the site keeps it). */
    private final Map<Long, ObjectNode> webhooks = new LinkedHashMap<>();

    private static final Pattern WEBHOOK = Pattern.compile("webhooks/(\\d+)");
    private final Map<Long, Order> orders = new LinkedHashMap<>();
    private final Map<Long, Product> products = new LinkedHashMap<>();
    private final ConcurrentLinkedDeque<Failure> failures = new ConcurrentLinkedDeque<>();

    private static final class Order {
        final long id;
        String status;
        final Map<Long, Integer> lineItems;
        final List<Note> notes = new ArrayList<>();

        Order(long id, String status, Map<Long, Integer> lineItems) {
            this.id = id;
            this.status = status;
            this.lineItems = lineItems;
        }
    }

    FakeWooCommerce(String site, String consumerKey, String consumerSecret) {
        this.site = site;
        this.consumerKey = consumerKey;
        this.consumerSecret = consumerSecret;
    }

    public synchronized FakeWooCommerce addOrder(long orderId, String status, Map<Long, Integer> lineItems) {
        orders.put(orderId, new Order(orderId, status, new LinkedHashMap<>(lineItems)));
        return this;
    }

    /** The next request is answered with this status; with Retry-After when {@code retryAfterSeconds} is not null. */
    public FakeWooCommerce failNext(int status, Integer retryAfterSeconds) {
        return failNext(status, retryAfterSeconds, null);
    }

    /**
     * The next request to a route starting with {@code route} (such as products/batch, or orders/) is answered with
     * this status; requests to other routes pass meanwhile.
     */
    public FakeWooCommerce failNext(int status, Integer retryAfterSeconds, String route) {
        failures.add(new Failure(status, retryAfterSeconds, route));
        return this;
    }

    /** The next request to a route starting with {@code route} takes effect, but the connection closes before its answer. */
    public FakeWooCommerce loseNextAnswer(String route) {
        failures.add(new Failure(FakeStores.LOSE_ANSWER, null, route));
        return this;
    }

    public synchronized List<StockSet> stockSets() {
        return List.copyOf(stockSets);
    }

    /** Each product's stock quantity by SKU (products without one left out). */
    public synchronized Map<String, Integer> quantitiesBySku() {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        products.values().forEach(p -> {
            if (p.stockQuantity() != null) {
                out.put(p.sku(), p.stockQuantity());
            }
        });
        return out;
    }

    public synchronized int batchCalls() {
        return batchCalls;
    }

    public synchronized List<Product> products() {
        return List.copyOf(products.values());
    }

    public synchronized String status(long orderId) {
        Order order = orders.get(orderId);
        return order == null ? null : order.status;
    }

    public synchronized List<Note> notes(long orderId) {
        Order order = orders.get(orderId);
        return order == null ? List.of() : List.copyOf(order.notes);
    }

    synchronized JsonNode orderView(long orderId) {
        Order order = orders.get(orderId);
        if (order == null) {
            return null;
        }
        ObjectNode view = order(order);
        ArrayNode notes = view.putArray("notes");
        order.notes.forEach(n -> notes.add(note(n)));
        return view;
    }

    /** A sale on the site: the product's stock quantity drops, as WooCommerce does at checkout. */
    public synchronized FakeWooCommerce sell(String sku, int quantity) {
        products.values().stream()
                .filter(p -> p.sku().equals(sku) && p.stockQuantity() != null)
                .findFirst()
                .ifPresent(p -> products.put(
                        p.id(),
                        new Product(
                                p.id(),
                                p.name(),
                                p.sku(),
                                p.regularPrice(),
                                p.status(),
                                p.description(),
                                p.images(),
                                p.updates(),
                                p.manageStock(),
                                p.stockQuantity() - quantity)));
        return this;
    }

    /** The site's owner deleted the product: updating it answers "Invalid ID" in its place, as WooCommerce does. */
    public synchronized FakeWooCommerce delete(String sku) {
        products.values().removeIf(p -> p.sku().equals(sku));
        return this;
    }

    /** The site's webhooks, with their secrets. */
    public synchronized List<ObjectNode> webhooks() {
        return List.copyOf(webhooks.values());
    }

    /** The owner approved an app's key request: new read/write keys, the only ones the site accepts from now. */
    synchronized String[] newKeys() {
        consumerKey = "ck_" + Long.toHexString(IDS.incrementAndGet()) + Long.toHexString(System.nanoTime());
        consumerSecret = "cs_" + Long.toHexString(System.nanoTime()) + Long.toHexString(IDS.incrementAndGet());
        return new String[] {consumerKey, consumerSecret};
    }

    synchronized FakeStores.Reply rest(String method, String route, String query, String authorization, String body) {
        if (!authorized(authorization)) {
            return FakeStores.Reply.of(
                    401, wooError("woocommerce_rest_authentication_error", "Consumer key is invalid.", 401));
        }
        Failure failure = failures.stream()
                .filter(f -> f.route() == null || route.startsWith(f.route()))
                .findFirst()
                .orElse(null);
        if (failure != null && failures.remove(failure)) {
            if (failure.status() == FakeStores.LOSE_ANSWER) {
                return answer(method, route, query, body).lose();
            }
            Map<String, String> headers = failure.retryAfterSeconds() == null
                    ? Map.of()
                    : Map.of("Retry-After", String.valueOf(failure.retryAfterSeconds()));
            return new FakeStores.Reply(
                    failure.status(),
                    headers,
                    wooError("fake_failure", "injected failure " + failure.status(), failure.status()));
        }
        return answer(method, route, query, body);
    }

    private FakeStores.Reply answer(String method, String route, String query, String body) {
        if (route.equals("webhooks") && method.equals("POST")) {
            JsonNode in = FakeStores.read(body);
            String topic = in.path("topic").asText("");
            String delivery = in.path("delivery_url").asText("");
            if (!topic.matches("[a-z_]+\\.[a-z_]+") || !delivery.matches("https?://.+")) {
                return FakeStores.Reply.of(
                        400,
                        wooError(
                                "woocommerce_rest_webhook_invalid_topic",
                                "Webhook topic or delivery URL is not valid.",
                                400));
            }
            long id = IDS.incrementAndGet();
            ObjectNode hook = JSON.createObjectNode()
                    .put("id", id)
                    .put("name", in.path("name").asText("Webhook"))
                    .put("status", in.path("status").asText("active"))
                    .put("topic", topic)
                    .put("delivery_url", delivery)
                    .put("secret", in.path("secret").asText(""));
            webhooks.put(id, hook);
            return FakeStores.Reply.of(201, hook);
        }
        if (route.equals("webhooks") && method.equals("GET")) {
            return FakeStores.Reply.of(200, JSON.valueToTree(List.copyOf(webhooks.values())));
        }
        Matcher webhook = WEBHOOK.matcher(route);
        if (webhook.matches() && method.equals("DELETE")) {
            if (query == null || !query.contains("force=true")) {
                return FakeStores.Reply.of(
                        501,
                        wooError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501));
            }
            ObjectNode gone = webhooks.remove(Long.parseLong(webhook.group(1)));
            return gone == null
                    ? FakeStores.Reply.of(404, wooError("woocommerce_rest_webhook_invalid_id", "Invalid ID.", 404))
                    : FakeStores.Reply.of(200, gone);
        }
        if (route.equals("products/batch")) {
            return method.equals("POST") || method.equals("PUT") || method.equals("PATCH")
                    ? productsBatch(body)
                    : noRoute();
        }
        if (route.equals("products") && method.equals("GET")) {
            return listProducts(query);
        }
        Matcher product = PRODUCT.matcher(route);
        if (product.matches() && method.equals("GET")) {
            Product p = products.get(Long.parseLong(product.group(1)));
            return p == null
                    ? FakeStores.Reply.of(404, wooError("woocommerce_rest_product_invalid_id", "Invalid ID.", 404))
                    : FakeStores.Reply.of(200, product(p));
        }
        Matcher notes = NOTES.matcher(route);
        if (notes.matches()) {
            Order order = orders.get(Long.parseLong(notes.group(1)));
            if (order == null) {
                return FakeStores.Reply.of(
                        404, wooError("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404));
            }
            if (method.equals("GET")) {
                ArrayNode list = FakeStores.array();
                order.notes.forEach(n -> list.add(note(n)));
                return FakeStores.Reply.of(200, list);
            }
            if (!method.equals("POST")) {
                return noRoute();
            }
            JsonNode in;
            try {
                in = FakeStores.read(body);
            } catch (IllegalArgumentException e) {
                return FakeStores.Reply.of(400, wooError("rest_invalid_json", "Invalid JSON body passed.", 400));
            }
            if (!in.path("note").isTextual() || in.path("note").asText().isBlank()) {
                ObjectNode error = wooError("rest_missing_callback_param", "Missing parameter(s): note", 400);
                ((ObjectNode) error.get("data")).putArray("params").add("note");
                return FakeStores.Reply.of(400, error);
            }
            Note note = new Note(
                    IDS.incrementAndGet(),
                    in.get("note").asText(),
                    in.path("customer_note").asBoolean(false),
                    Instant.now());
            order.notes.add(note);
            return FakeStores.Reply.of(201, note(note));
        }
        Matcher single = ORDER.matcher(route);
        if (single.matches()) {
            Order order = orders.get(Long.parseLong(single.group(1)));
            if (order == null) {
                return FakeStores.Reply.of(404, wooError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", 404));
            }
            if (method.equals("GET")) {
                return FakeStores.Reply.of(200, order(order));
            }
            if (!method.equals("PUT") && !method.equals("POST") && !method.equals("PATCH")) {
                return noRoute();
            }
            JsonNode in;
            try {
                in = FakeStores.read(body);
            } catch (IllegalArgumentException e) {
                return FakeStores.Reply.of(400, wooError("rest_invalid_json", "Invalid JSON body passed.", 400));
            }
            if (in.has("status")) {
                String status = in.path("status").asText();
                if (!STATUSES.contains(status)) {
                    return FakeStores.Reply.of(
                            400, wooError("rest_invalid_param", "Invalid parameter(s): status", 400));
                }
                order.status = status;
            }
            return FakeStores.Reply.of(200, order(order));
        }
        return noRoute();
    }

    /**
     * {@code POST products/batch}: create and update (at most 100 items in all, as WooCommerce allows); each item is
     * answered on its own, a refused one with an {@code error} object in its place.
     */
    private FakeStores.Reply productsBatch(String body) {
        batchCalls++;
        JsonNode in;
        try {
            in = FakeStores.read(body);
        } catch (IllegalArgumentException e) {
            return FakeStores.Reply.of(400, wooError("rest_invalid_json", "Invalid JSON body passed.", 400));
        }
        int items = in.path("create").size()
                + in.path("update").size()
                + in.path("delete").size();
        if (items > 100) {
            return FakeStores.Reply.of(
                    413,
                    wooError(
                            "woocommerce_rest_request_entity_too_large",
                            "Unable to accept more than 100 items for this request.",
                            413));
        }
        ObjectNode out = JSON.createObjectNode();
        if (in.has("create")) {
            ArrayNode created = out.putArray("create");
            for (JsonNode item : in.path("create")) {
                created.add(saveProduct(null, item));
            }
        }
        if (in.has("update")) {
            ArrayNode updated = out.putArray("update");
            for (JsonNode item : in.path("update")) {
                Product existing = products.get(item.path("id").asLong(-1));
                updated.add(
                        existing == null
                                ? itemError(
                                        item.path("id").asLong(0),
                                        "woocommerce_rest_product_invalid_id",
                                        "Invalid ID.",
                                        400)
                                : saveProduct(existing, item));
            }
        }
        return FakeStores.Reply.of(200, out);
    }

    /** {@code GET products?include=1,2&per_page=n}: the products asked for (WooCommerce allows per_page up to 100). */
    private FakeStores.Reply listProducts(String query) {
        Map<String, String> params = new java.util.HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(
                            pair.substring(0, eq),
                            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        int perPage;
        try {
            perPage = Integer.parseInt(params.getOrDefault("per_page", "10"));
        } catch (NumberFormatException e) {
            perPage = -1;
        }
        if (perPage < 1 || perPage > 100) {
            return FakeStores.Reply.of(400, wooError("rest_invalid_param", "Invalid parameter(s): per_page", 400));
        }
        ArrayNode out = FakeStores.array();
        java.util.Set<Long> include = new java.util.HashSet<>();
        if (params.containsKey("include")) {
            for (String id : params.get("include").split(",")) {
                try {
                    include.add(Long.parseLong(id.trim()));
                } catch (NumberFormatException e) {
                    return FakeStores.Reply.of(
                            400, wooError("rest_invalid_param", "Invalid parameter(s): include", 400));
                }
            }
        }
        products.values().stream()
                .filter(p -> include.isEmpty() || include.contains(p.id()))
                .limit(perPage)
                .forEach(p -> out.add(product(p)));
        return FakeStores.Reply.of(200, out);
    }

    private ObjectNode saveProduct(Product existing, JsonNode item) {
        long id = existing == null ? 0 : existing.id();
        String sku = item.has("sku") ? item.path("sku").asText() : existing == null ? "" : existing.sku();
        Product holder = sku.isEmpty()
                ? null
                : products.values().stream()
                        .filter(p -> p.sku().equals(sku) && p.id() != id)
                        .findFirst()
                        .orElse(null);
        if (holder != null) {
            // As WC_Product::set_sku: the error names the product that holds the SKU, and a unique SKU to use instead.
            ObjectNode error = itemError(id, "product_invalid_sku", "Invalid or duplicated SKU.", 400);
            ((ObjectNode) error.path("error").path("data"))
                    .put("resource_id", holder.id())
                    .put("unique_sku", sku + "-1");
            return error;
        }
        String name = item.has("name") ? item.path("name").asText() : existing == null ? "" : existing.name();
        if (existing == null && name.isBlank()) {
            return itemError(id, "woocommerce_rest_product_invalid_name", "Product name is required.", 400);
        }
        String price = item.has("regular_price")
                ? item.path("regular_price").asText()
                : existing == null ? "" : existing.regularPrice();
        if (!price.isEmpty() && !price.matches("\\d+(\\.\\d+)?")) {
            return itemError(id, "rest_invalid_param", "Invalid parameter(s): regular_price", 400);
        }
        String status =
                item.has("status") ? item.path("status").asText() : existing == null ? "publish" : existing.status();
        if (!PRODUCT_STATUSES.contains(status)) {
            return itemError(id, "rest_invalid_param", "Invalid parameter(s): status", 400);
        }
        boolean manageStock = item.has("manage_stock")
                ? item.path("manage_stock").asBoolean()
                : existing != null && existing.manageStock();
        Integer stock = existing == null ? null : existing.stockQuantity();
        if (item.has("stock_quantity")) {
            if (!item.path("stock_quantity").canConvertToInt()) {
                return itemError(id, "rest_invalid_param", "Invalid parameter(s): stock_quantity", 400);
            }
            stock = item.path("stock_quantity").asInt();
        }
        List<String> images = new ArrayList<>();
        if (item.has("images")) {
            for (JsonNode image : item.path("images")) {
                images.add(image.path("src").asText());
            }
        } else if (existing != null) {
            images.addAll(existing.images());
        }
        Product saved = new Product(
                existing == null ? IDS.incrementAndGet() : id,
                name,
                sku,
                price,
                status,
                item.has("description")
                        ? item.path("description").asText()
                        : existing == null ? "" : existing.description(),
                List.copyOf(images),
                existing == null ? 0 : existing.updates() + 1,
                manageStock,
                stock);
        products.put(saved.id(), saved);
        if (item.has("stock_quantity") && manageStock) {
            stockSets.add(new StockSet(sku, stock, System.currentTimeMillis()));
        }
        return product(saved);
    }

    private static ObjectNode itemError(long id, String code, String message, int status) {
        ObjectNode error = JSON.createObjectNode().put("id", id);
        error.set("error", wooError(code, message, status));
        return error;
    }

    private static ObjectNode product(Product p) {
        ObjectNode o = JSON.createObjectNode()
                .put("id", p.id())
                .put("name", p.name())
                .put("type", "simple")
                .put("status", p.status())
                .put("sku", p.sku())
                .put("regular_price", p.regularPrice())
                .put("price", p.regularPrice())
                .put("description", p.description())
                .put("manage_stock", p.manageStock())
                .put("stock_status", p.stockStatus());
        if (p.stockQuantity() == null) {
            o.putNull("stock_quantity");
        } else {
            o.put("stock_quantity", p.stockQuantity());
        }
        ArrayNode images = o.putArray("images");
        p.images()
                .forEach(src ->
                        images.addObject().put("id", IDS.incrementAndGet()).put("src", src));
        return o;
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return false;
        }
        String expected = consumerKey + ":" + consumerSecret;
        try {
            String given = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            return given.equals(expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static FakeStores.Reply noRoute() {
        return FakeStores.Reply.of(
                404, wooError("rest_no_route", "No route was found matching the URL and request method.", 404));
    }

    private static ObjectNode note(Note n) {
        return JSON.createObjectNode()
                .put("id", n.id())
                .put("author", "WooCommerce")
                .put("date_created", n.createdAt().toString())
                .put("note", n.note())
                .put("customer_note", n.customerNote());
    }

    private static ObjectNode order(Order order) {
        ObjectNode o = JSON.createObjectNode().put("id", order.id).put("status", order.status);
        ArrayNode lines = o.putArray("line_items");
        order.lineItems.forEach((id, q) -> lines.addObject().put("id", id).put("quantity", q));
        return o;
    }
}
