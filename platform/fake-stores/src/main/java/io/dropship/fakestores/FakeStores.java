package io.dropship.fakestores;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local stand-ins for the stores the platform calls out to: Shopify's GraphQL Admin API and WooCommerce's
 * REST API v3. They answer in the stores' own wire format and check what the real APIs check (path, auth
 * header, body shape), so the gateway's store clients are tested against the requests the stores expect.
 *
 * <ul>
 *   <li>Shopify: {@code POST /shopify/{shop}/admin/api/{version}/graphql.json} with {@code X-Shopify-Access-Token};
 *       point the gateway's Shopify admin URL template ({@code https://{shop}}) at {@link #shopifyAdminUrlTemplate()}.</li>
 *   <li>WooCommerce: {@code /woo/{site}/wp-json/wc/v3/...} with HTTP basic auth (consumer key and secret);
 *       the store's site URL is {@link #wooSiteUrl(String)}.</li>
 *   <li>Control and inspection, for the demo running in another process: {@code /_fake/...}, see {@link Control}.</li>
 * </ul>
 */
public final class FakeStores implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where a fake's ids start in this process: above {@code floor} by {@code perSecond} for every second since
     * 2026-01-01, so a restarted fake (the fleet restarted on kept data) never mints an id the last run gave out, as
     * the real services never do, unless that run minted more than {@code perSecond} ids a second.
     */
    static java.util.concurrent.atomic.AtomicLong ids(long floor, long perSecond) {
        long seconds = Math.max(0, java.time.Instant.now().getEpochSecond() - 1_767_225_600L);
        return new java.util.concurrent.atomic.AtomicLong(floor + seconds * perSecond);
    }

    /** One request as the fake received it. */
    public record Call(
            Instant at, String method, String path, Map<String, List<String>> headers, String body, int status) {
        public String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    /** An answer; {@code lost}: the call took effect but the connection is closed before the answer is sent. */
    record Reply(int status, Map<String, String> headers, JsonNode body, boolean lost) {
        Reply(int status, Map<String, String> headers, JsonNode body) {
            this(status, headers, body, false);
        }

        static Reply of(int status, JsonNode body) {
            return new Reply(status, Map.of(), body);
        }

        Reply lose() {
            return new Reply(status, headers, body, true);
        }
    }

    /** The status an injected failure uses for "apply the call, then lose its answer". */
    static final int LOSE_ANSWER = -1;

    private static final Pattern SHOPIFY = Pattern.compile("/shopify/([^/]+)/admin/api/([^/]+)/graphql\\.json");
    private static final Pattern WOO = Pattern.compile("/woo/([^/]+)/wp-json/wc/v3/(.*)");
    private static final Pattern CONTROL = Pattern.compile("/_fake/(shopify|woo)/([^/]+)(/.*)?");
    private static final Pattern SHOPIFY_OAUTH =
            Pattern.compile("/shopify/([^/]+)/admin/oauth/(authorize|access_token)");
    private static final Pattern WOO_AUTH = Pattern.compile("/woo/([^/]+)/wc-auth/v1/authorize");

    /** The Shopify apps installable in the fake shops (the Partner Dashboard's client id and secret). */
    private final Map<String, String> shopifyApps = new ConcurrentHashMap<>();
    /** Authorization codes handed out at authorize: code to shop, client id and scopes; each used once. */
    private final Map<String, String[]> shopifyCodes = new ConcurrentHashMap<>();

    private final java.net.http.HttpClient outbound = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .build();

    private final HttpServer server;
    private final Map<String, FakeShopify> shops = new ConcurrentHashMap<>();
    private final Map<String, FakeWooCommerce> sites = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    private FakeStores(HttpServer server) {
        this.server = server;
    }

    /** Starts the fake stores on the port given (0: any free port) on the loopback interface. */
    public static FakeStores start(int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
            FakeStores fakes = new FakeStores(server);
            server.createContext("/", fakes::handle);
            server.setExecutor(Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "fake-stores");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return fakes;
        } catch (IOException e) {
            throw new IllegalStateException("could not start the fake stores on port " + port, e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** What the gateway's Shopify admin URL template should be to reach this fake: {@code {shop}} is the shop domain. */
    public String shopifyAdminUrlTemplate() {
        return baseUrl() + "/shopify/{shop}";
    }

    /** The site URL of a fake WooCommerce store, as a retailer would connect it. */
    public String wooSiteUrl(String site) {
        return baseUrl() + "/woo/" + site;
    }

    /** An app shops can install (OAuth): its client id and secret, as the Partner Dashboard shows them. */
    public void shopifyApp(String clientId, String clientSecret) {
        shopifyApps.put(clientId, clientSecret);
    }

    private volatile FakeStripe stripe;

    /** The platform's Stripe account behind {@code <baseUrl>/stripe} (stripe-java's API base), with this secret key. */
    public synchronized FakeStripe stripe(String secretKey) {
        if (stripe == null || !stripe.secretKey.equals(secretKey)) {
            stripe = new FakeStripe(secretKey);
        }
        return stripe;
    }

    /** What stripe-java's API base should be set to. */
    public String stripeApiBase() {
        return baseUrl() + "/stripe";
    }

    public FakeShopify shopify(String shopDomain, String accessToken) {
        return shops.compute(
                shopDomain,
                (d, existing) -> existing != null && existing.accessToken.equals(accessToken)
                        ? existing
                        : new FakeShopify(d, accessToken));
    }

    public FakeShopify shopify(String shopDomain) {
        FakeShopify shop = shops.get(shopDomain);
        if (shop == null) {
            throw new IllegalArgumentException("no fake Shopify shop " + shopDomain);
        }
        return shop;
    }

    /** A WooCommerce site that accepts the given REST API consumer key and secret. */
    public FakeWooCommerce woo(String site, String consumerKey, String consumerSecret) {
        return sites.compute(
                site,
                (s, existing) -> existing != null
                                && existing.consumerKey.equals(consumerKey)
                                && existing.consumerSecret.equals(consumerSecret)
                        ? existing
                        : new FakeWooCommerce(s, consumerKey, consumerSecret));
    }

    public FakeWooCommerce woo(String site) {
        FakeWooCommerce woo = sites.get(site);
        if (woo == null) {
            throw new IllegalArgumentException("no fake WooCommerce site " + site);
        }
        return woo;
    }

    /** Every request received, oldest first. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The requests whose path starts with the prefix given. */
    public List<Call> calls(String pathPrefix) {
        return calls.stream().filter(c -> c.path().startsWith(pathPrefix)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        Reply reply;
        try {
            reply = route(exchange, method, path, body);
        } catch (RuntimeException e) {
            reply = Reply.of(500, JSON.createObjectNode().put("errors", "fake store failed: " + e));
        }
        if (!path.startsWith("/_fake/")) {
            calls.add(new Call(
                    Instant.now(),
                    method,
                    path,
                    Map.copyOf(exchange.getRequestHeaders()),
                    body,
                    reply.lost() ? LOSE_ANSWER : reply.status()));
        }
        if (reply.lost()) {
            // The effect is kept; closing before the status line is sent resets the connection, as a proxy or
            // network fault after the write would: the caller cannot tell whether its call ran.
            exchange.close();
            return;
        }
        byte[] out = reply.body() == null ? new byte[0] : JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(out);
        }
    }

    private Reply route(HttpExchange exchange, String method, String path, String body) {
        Matcher oauth = SHOPIFY_OAUTH.matcher(path);
        if (oauth.matches()) {
            return shopifyOAuth(method, oauth.group(1), oauth.group(2), query(exchange), body);
        }
        Matcher wooAuth = WOO_AUTH.matcher(path);
        if (wooAuth.matches() && method.equals("GET")) {
            return wooAuthorize(wooAuth.group(1), query(exchange));
        }
        Matcher m = SHOPIFY.matcher(path);
        if (m.matches()) {
            FakeShopify shop = shops.get(m.group(1));
            if (shop == null) {
                return Reply.of(404, JSON.createObjectNode().put("errors", "Not Found"));
            }
            return shop.graphql(
                    method,
                    m.group(2),
                    exchange.getRequestHeaders().getFirst("X-Shopify-Access-Token"),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    body);
        }
        m = WOO.matcher(path);
        if (m.matches()) {
            FakeWooCommerce woo = sites.get(m.group(1));
            if (woo == null) {
                return Reply.of(
                        404, wooError("rest_no_route", "No route was found matching the URL and request method.", 404));
            }
            return woo.rest(
                    method,
                    m.group(2),
                    exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    body);
        }
        if (path.startsWith("/stripe/v1/")) {
            FakeStripe stripe = this.stripe;
            if (stripe == null) {
                return Reply.of(404, JSON.createObjectNode().put("errors", "no fake Stripe account"));
            }
            String query = exchange.getRequestURI().getRawQuery();
            return stripe.api(
                    method,
                    path.substring("/stripe/v1/".length()) + (query == null ? "" : "?" + query),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    body);
        }
        m = CONTROL.matcher(path);
        if (m.matches()) {
            String query = exchange.getRequestURI().getRawQuery();
            return new Control()
                    .handle(
                            method,
                            m.group(1),
                            m.group(2),
                            (m.group(3) == null ? "" : m.group(3)) + (query == null ? "" : "?" + query),
                            body);
        }
        return Reply.of(404, JSON.createObjectNode().put("errors", "Not Found"));
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> params = new java.util.LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                params.putIfAbsent(
                        k, eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return params;
    }

    /**
     * Shopify's authorization-code grant: {@code GET /admin/oauth/authorize} (the owner approves at once) redirects to
     * the app's redirect_uri with a code, signed with the app's secret; {@code POST /admin/oauth/access_token}
     * exchanges the code, once, for an offline token with the scopes asked for, the only token the shop then accepts.
     */
    private Reply shopifyOAuth(String method, String shopDomain, String step, Map<String, String> query, String body) {
        FakeShopify shop = shops.get(shopDomain);
        if (shop == null) {
            return Reply.of(404, JSON.createObjectNode().put("errors", "Not Found"));
        }
        if (step.equals("authorize") && method.equals("GET")) {
            String secret = shopifyApps.get(query.getOrDefault("client_id", ""));
            String redirect = query.get("redirect_uri");
            if (secret == null || redirect == null || !redirect.matches("https?://.+")) {
                return Reply.of(
                        400,
                        JSON.createObjectNode()
                                .put(
                                        "errors",
                                        "Oauth error invalid_request: The redirect_uri"
                                                + " and application url must have matching hosts, or the client id is unknown"));
            }
            String code =
                    Long.toHexString(System.nanoTime()) + Long.toHexString(Double.doubleToLongBits(Math.random()));
            shopifyCodes.put(code, new String[] {shopDomain, query.get("client_id"), query.getOrDefault("scope", "")});
            Map<String, String> back = new java.util.TreeMap<>();
            back.put("code", code);
            back.put(
                    "host",
                    java.util.Base64.getUrlEncoder()
                            .withoutPadding()
                            .encodeToString(("admin.shopify.com/store/" + shopDomain.replace(".myshopify.com", ""))
                                    .getBytes(StandardCharsets.UTF_8)));
            back.put("shop", shopDomain);
            back.put("state", query.getOrDefault("state", ""));
            back.put("timestamp", String.valueOf(Instant.now().getEpochSecond()));
            StringBuilder signed = new StringBuilder();
            back.forEach((k, v) -> signed.append(signed.isEmpty() ? "" : "&")
                    .append(k)
                    .append('=')
                    .append(v));
            String hmac = hexHmac(secret, signed.toString());
            StringBuilder location = new StringBuilder(redirect).append(redirect.contains("?") ? "&" : "?");
            back.forEach((k, v) -> location.append(k)
                    .append('=')
                    .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8))
                    .append('&'));
            location.append("hmac=").append(hmac);
            return new Reply(302, Map.of("Location", location.toString()), null);
        }
        if (step.equals("access_token") && method.equals("POST")) {
            JsonNode in = read(body);
            String[] granted = shopifyCodes.remove(in.path("code").asText(""));
            String secret = shopifyApps.get(in.path("client_id").asText(""));
            if (granted == null
                    || secret == null
                    || !secret.equals(in.path("client_secret").asText(""))
                    || !granted[0].equals(shopDomain)
                    || !granted[1].equals(in.path("client_id").asText())) {
                return Reply.of(
                        400,
                        JSON.createObjectNode()
                                .put("error", "invalid_request")
                                .put("error_description", "The authorization code was not found or was already used"));
            }
            shop.accessToken = "shpat_" + Long.toHexString(System.nanoTime())
                    + Long.toHexString(Double.doubleToLongBits(Math.random()));
            return Reply.of(
                    200,
                    JSON.createObjectNode()
                            .put("access_token", shop.accessToken)
                            .put("scope", granted[2]));
        }
        return Reply.of(405, JSON.createObjectNode().put("errors", "Method Not Allowed"));
    }

    /**
     * WooCommerce's key-generation endpoint: the owner approves at once; the site makes read/write keys, POSTs them to
     * callback_url as JSON (key_id, user_id, consumer_key, consumer_secret, key_permissions) and, once that answered
     * 2xx, redirects the browser to return_url with success=1.
     */
    private Reply wooAuthorize(String siteName, Map<String, String> query) {
        FakeWooCommerce site = sites.get(siteName);
        if (site == null) {
            return Reply.of(
                    404, wooError("rest_no_route", "No route was found matching the URL and request method.", 404));
        }
        String callback = query.get("callback_url");
        String back = query.get("return_url");
        String scope = query.getOrDefault("scope", "");
        if (callback == null
                || back == null
                || !scope.matches("read|write|read_write")
                || query.get("user_id") == null) {
            return Reply.of(
                    400, wooError("woocommerce_rest_invalid_request", "Invalid request: missing parameters.", 400));
        }
        String[] keys = site.newKeys();
        ObjectNode payload = JSON.createObjectNode()
                .put("key_id", IDS.incrementAndGet())
                .put("user_id", query.get("user_id"))
                .put("consumer_key", keys[0])
                .put("consumer_secret", keys[1])
                .put("key_permissions", scope);
        try {
            var answer = outbound.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(callback))
                            .header("Content-Type", "application/json")
                            .timeout(java.time.Duration.ofSeconds(30))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(payload.toString()))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() / 100 != 2) {
                return Reply.of(
                        400,
                        wooError(
                                "woocommerce_rest_cannot_send",
                                "An error occurred in the request and at the"
                                        + " time were unable to send the consumer data: " + answer.statusCode() + " "
                                        + answer.body(),
                                400));
            }
        } catch (IOException | InterruptedException e) {
            return Reply.of(
                    400, wooError("woocommerce_rest_cannot_send", "unable to send the consumer data: " + e, 400));
        }
        return new Reply(
                302,
                Map.of(
                        "Location",
                        back + (back.contains("?") ? "&" : "?") + "success=1&user_id="
                                + java.net.URLEncoder.encode(query.get("user_id"), StandardCharsets.UTF_8)),
                null);
    }

    private static final java.util.concurrent.atomic.AtomicLong IDS = ids(100, 10);

    static String hexHmac(String secret, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Shopify's webhook signature: the base64 HMAC-SHA256 of the body with the app's secret. */
    static String base64Hmac(String secret, byte[] body) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The owner uninstalls the app: app/uninstalled goes to its subscriptions, signed with each installed app's secret. */
    private int uninstall(FakeShopify shop) {
        List<String> uris = shop.uninstall();
        byte[] body = JSON.createObjectNode()
                .put("id", IDS.incrementAndGet())
                .put("name", shop.shopDomain)
                .put("domain", shop.shopDomain)
                .put("myshopify_domain", shop.shopDomain)
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        int delivered = 0;
        for (String uri : uris) {
            for (String secret : shopifyApps.values()) {
                try {
                    var answer = outbound.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(uri))
                                    .header("Content-Type", "application/json")
                                    .header("X-Shopify-Topic", "app/uninstalled")
                                    .header("X-Shopify-Shop-Domain", shop.shopDomain)
                                    .header("X-Shopify-Hmac-Sha256", base64Hmac(secret, body))
                                    .header(
                                            "X-Shopify-Webhook-Id",
                                            java.util.UUID.randomUUID().toString())
                                    .header(
                                            "X-Shopify-Event-Id",
                                            java.util.UUID.randomUUID().toString())
                                    .header(
                                            "X-Shopify-Triggered-At",
                                            Instant.now().toString())
                                    .header("X-Shopify-API-Version", "2026-04")
                                    .timeout(java.time.Duration.ofSeconds(30))
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.discarding());
                    delivered += answer.statusCode() / 100 == 2 ? 1 : 0;
                } catch (IOException | InterruptedException e) {
                    // Shopify would retry; the control call reports how many were delivered.
                }
            }
        }
        return delivered;
    }

    static ObjectNode wooError(String code, String message, int status) {
        ObjectNode error = JSON.createObjectNode().put("code", code).put("message", message);
        error.putObject("data").put("status", status);
        return error;
    }

    /**
     * The HTTP face of the fakes' own set-up and inspection, for a demo that runs in another process:
     * <ul>
     *   <li>{@code POST /_fake/shopify/{shop}} {@code {"accessToken"}}: a shop;
     *       {@code POST /_fake/shopify/{shop}/orders} {@code {"id", "lineItems": [{"id", "quantity"}]}}: an order in it;
     *       {@code GET /_fake/shopify/{shop}/orders/{id}}: the order with its fulfillments;
     *       {@code GET /_fake/shopify/{shop}/products}: the products productSet made;
     *       {@code GET /_fake/shopify/{shop}/inventory}: available quantities by SKU, and the inventory calls made;
     *       {@code POST /_fake/shopify/{shop}/sell} {@code {"sku", "quantity"}}: a sale at checkout;
     *       {@code GET /_fake/shopify/{shop}/quantity-sets?since=}: the quantities set since then, with when;
     *       {@code GET /_fake/shopify/{shop}/webhooks}: the subscriptions made; {@code POST .../uninstall}: the owner
     *       uninstalls the app (app/uninstalled is delivered, the token revoked);
     *       {@code POST /_fake/shopify/{shop}/budget} {@code {"maximumAvailable", "restoreRate"}}: the app's cost bucket
     *       (2,000 and 100 a second unless set), full again; {@code GET /_fake/shopify/{shop}/calls}: GraphQL calls
     *       answered and how many were THROTTLED.</li>
     *   <li>{@code POST /_fake/woo/{site}} {@code {"consumerKey", "consumerSecret"}}: a site;
     *       {@code POST /_fake/woo/{site}/orders} {@code {"id", "status", "lineItems": [{"id", "quantity"}]}};
     *       {@code GET /_fake/woo/{site}/orders/{id}}: the order with its status and notes;
     *       {@code GET /_fake/woo/{site}/products}: the products the batch endpoint made;
     *       {@code GET /_fake/woo/{site}/stock}: stock quantities by SKU and the batch calls made;
     *       {@code GET /_fake/woo/{site}/stock-sets?since=}: the stock quantities set since then, with when;
     *       {@code GET /_fake/woo/{site}/webhooks}: the webhooks made, with their secrets.</li>
     * </ul>
     */
    /** {@code ...?since=<epoch millis>} on a control path; 0 without. */
    private static long since(String rest) {
        int q = rest.indexOf("since=");
        return q < 0 ? 0 : Long.parseLong(rest.substring(q + 6).replaceAll("[^0-9].*$", ""));
    }

    final class Control {
        Reply handle(String method, String platform, String name, String rest, String body) {
            JsonNode in = body.isBlank() ? JSON.createObjectNode() : read(body);
            if (platform.equals("shopify")) {
                if (method.equals("POST") && rest.isEmpty()) {
                    shopify(name, in.path("accessToken").asText());
                    return Reply.of(201, JSON.createObjectNode().put("shop", name));
                }
                FakeShopify shop = shops.get(name);
                if (shop == null) {
                    return Reply.of(404, JSON.createObjectNode().put("errors", "no such fake shop"));
                }
                if (method.equals("POST") && rest.equals("/orders")) {
                    shop.addOrder(in.path("id").asLong(), lineItems(in));
                    return Reply.of(201, shop.orderView(in.path("id").asLong()));
                }
                if (method.equals("GET") && rest.equals("/inventory")) {
                    return Reply.of(
                            200,
                            JSON.createObjectNode()
                                    .put("calls", shop.inventoryCalls())
                                    .set("quantities", JSON.valueToTree(shop.quantitiesBySku())));
                }
                if (method.equals("GET") && rest.startsWith("/quantity-sets")) {
                    return Reply.of(200, JSON.valueToTree(shop.quantitySetsSince(since(rest))));
                }
                if (method.equals("POST") && rest.equals("/sell")) {
                    JsonNode sale = read(body);
                    shop.sell(sale.path("sku").asText(), sale.path("quantity").asInt(1));
                    return Reply.of(200, JSON.valueToTree(shop.quantitiesBySku()));
                }
                if (method.equals("GET") && rest.equals("/products")) {
                    return Reply.of(200, JSON.valueToTree(shop.products()));
                }
                if (method.equals("GET") && rest.equals("/webhooks")) {
                    return Reply.of(200, JSON.valueToTree(shop.subscriptions()));
                }
                if (method.equals("POST") && rest.equals("/budget")) {
                    shop.budget(
                            in.path("maximumAvailable").asDouble(2000),
                            in.path("restoreRate").asDouble(100));
                    return Reply.of(200, JSON.valueToTree(shop.calls()));
                }
                if (method.equals("GET") && rest.equals("/calls")) {
                    return Reply.of(200, JSON.valueToTree(shop.calls()));
                }
                if (method.equals("POST") && rest.equals("/uninstall")) {
                    return Reply.of(200, JSON.createObjectNode().put("delivered", uninstall(shop)));
                }
                if (method.equals("GET") && rest.startsWith("/orders/")) {
                    JsonNode view = shop.orderView(Long.parseLong(rest.substring("/orders/".length())));
                    return view == null
                            ? Reply.of(404, JSON.createObjectNode().put("errors", "no such order"))
                            : Reply.of(200, view);
                }
            } else {
                if (method.equals("POST") && rest.isEmpty()) {
                    woo(
                            name,
                            in.path("consumerKey").asText(),
                            in.path("consumerSecret").asText());
                    return Reply.of(201, JSON.createObjectNode().put("site", name));
                }
                FakeWooCommerce woo = sites.get(name);
                if (woo == null) {
                    return Reply.of(404, JSON.createObjectNode().put("errors", "no such fake site"));
                }
                if (method.equals("POST") && rest.equals("/orders")) {
                    woo.addOrder(in.path("id").asLong(), in.path("status").asText("processing"), lineItems(in));
                    return Reply.of(201, woo.orderView(in.path("id").asLong()));
                }
                if (method.equals("GET") && rest.equals("/stock")) {
                    return Reply.of(
                            200,
                            JSON.createObjectNode()
                                    .put("batchCalls", woo.batchCalls())
                                    .put("products", woo.products().size())
                                    .set("quantities", JSON.valueToTree(woo.quantitiesBySku())));
                }
                if (method.equals("GET") && rest.startsWith("/stock-sets")) {
                    return Reply.of(
                            200,
                            JSON.valueToTree(woo.stockSets().stream()
                                    .filter(x -> x.at() >= since(rest))
                                    .toList()));
                }
                if (method.equals("GET") && rest.equals("/products")) {
                    return Reply.of(200, JSON.valueToTree(woo.products()));
                }
                if (method.equals("GET") && rest.equals("/webhooks")) {
                    return Reply.of(200, JSON.valueToTree(woo.webhooks()));
                }
                if (method.equals("GET") && rest.startsWith("/orders/")) {
                    JsonNode view = woo.orderView(Long.parseLong(rest.substring("/orders/".length())));
                    return view == null
                            ? Reply.of(404, JSON.createObjectNode().put("errors", "no such order"))
                            : Reply.of(200, view);
                }
            }
            return Reply.of(404, JSON.createObjectNode().put("errors", "unknown control request"));
        }

        private Map<Long, Integer> lineItems(JsonNode in) {
            Map<Long, Integer> lines = new java.util.LinkedHashMap<>();
            for (JsonNode l : in.path("lineItems")) {
                lines.put(l.path("id").asLong(), l.path("quantity").asInt());
            }
            return lines;
        }
    }

    static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("not JSON", e);
        }
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }
}
