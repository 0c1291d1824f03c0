package io.dropship.fakestores;

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

import static io.dropship.fakestores.FakeStores.JSON;
import static io.dropship.fakestores.FakeStores.wooError;

/**
 * One WooCommerce site behind REST API v3: orders, their notes ({@code POST orders/{id}/notes}) and status
 * updates ({@code PUT orders/{id}}), behind HTTP basic auth with the consumer key and secret, answering
 * WooCommerce's error shape ({@code code}, {@code message}, {@code data.status}). Failures can be
 * injected, such as a 429 with Retry-After from the site's host.
 */
public final class FakeWooCommerce {

    /** An order note as the site stored it. */
    public record Note(long id, String note, boolean customerNote, Instant createdAt) {
    }

    private record Failure(int status, Integer retryAfterSeconds) {
    }

    private static final AtomicLong IDS = new AtomicLong(700);
    private static final Set<String> STATUSES = Set.of("pending", "processing", "on-hold", "completed", "cancelled",
            "refunded", "failed", "trash");
    private static final Pattern ORDER = Pattern.compile("orders/(\\d+)");
    private static final Pattern NOTES = Pattern.compile("orders/(\\d+)/notes");

    final String site;
    final String consumerKey;
    final String consumerSecret;
    private final Map<Long, Order> orders = new LinkedHashMap<>();
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
        failures.add(new Failure(status, retryAfterSeconds));
        return this;
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

    synchronized FakeStores.Reply rest(String method, String route, String authorization, String body) {
        if (!authorized(authorization)) {
            return FakeStores.Reply.of(401, wooError("woocommerce_rest_authentication_error", "Consumer key is invalid.", 401));
        }
        Failure failure = failures.poll();
        if (failure != null) {
            Map<String, String> headers = failure.retryAfterSeconds() == null ? Map.of()
                    : Map.of("Retry-After", String.valueOf(failure.retryAfterSeconds()));
            return new FakeStores.Reply(failure.status(), headers,
                    wooError("fake_failure", "injected failure " + failure.status(), failure.status()));
        }
        Matcher notes = NOTES.matcher(route);
        if (notes.matches()) {
            Order order = orders.get(Long.parseLong(notes.group(1)));
            if (order == null) {
                return FakeStores.Reply.of(404, wooError("woocommerce_rest_order_invalid_id", "Invalid order ID.", 404));
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
            Note note = new Note(IDS.incrementAndGet(), in.get("note").asText(), in.path("customer_note").asBoolean(false),
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
                    return FakeStores.Reply.of(400, wooError("rest_invalid_param", "Invalid parameter(s): status", 400));
                }
                order.status = status;
            }
            return FakeStores.Reply.of(200, order(order));
        }
        return noRoute();
    }

    private boolean authorized(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return false;
        }
        String expected = consumerKey + ":" + consumerSecret;
        try {
            String given = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            return given.equals(expected);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static FakeStores.Reply noRoute() {
        return FakeStores.Reply.of(404, wooError("rest_no_route", "No route was found matching the URL and request method.", 404));
    }

    private static ObjectNode note(Note n) {
        return JSON.createObjectNode().put("id", n.id()).put("author", "WooCommerce").put("date_created", n.createdAt().toString())
                .put("note", n.note()).put("customer_note", n.customerNote());
    }

    private static ObjectNode order(Order order) {
        ObjectNode o = JSON.createObjectNode().put("id", order.id).put("status", order.status);
        ArrayNode lines = o.putArray("line_items");
        order.lineItems.forEach((id, q) -> lines.addObject().put("id", id).put("quantity", q));
        return o;
    }
}
