package io.dropship.gateway.stores;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.domain.StorePlatform;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Stores connect the way store apps do, in one click, instead of a retailer pasting a token and a secret.
 *
 * <p><b>Shopify</b> (the authorization-code grant of a public app): the retailer names its shop; the gateway records a
 * pending install under a random {@code state} and sends the retailer to the shop's {@code /admin/oauth/authorize}
 * with the scopes the platform needs. Shopify redirects back to the callback with a code, signed with the app's
 * client secret (hex HMAC-SHA256 of the other parameters, sorted); the gateway checks the signature, the state (one
 * use, 15 minutes, the same shop), the shop's domain, exchanges the code for an offline access token, checks every
 * scope was granted, connects the store (its webhooks are signed with the app's secret) and subscribes to every topic
 * it handles through the Admin GraphQL API. The compliance topics (customers/data_request, customers/redact,
 * shop/redact) are app-level subscriptions in the app's configuration (deploy/shopify/shopify.app.toml).
 *
 * <p><b>WooCommerce</b> (its key-generation endpoint): the retailer names its site; the gateway sends it to
 * {@code /wc-auth/v1/authorize} with a return URL and a callback URL carrying the state as {@code user_id}; the site
 * POSTs the REST API keys to the callback, and the gateway connects the store with a webhook secret of its own and
 * creates the webhooks through {@code POST /wp-json/wc/v3/webhooks}. Disconnecting deletes them.
 */
@ApplicationScoped
public class StoreInstalls {

    private static final Logger LOG = Logger.getLogger(StoreInstalls.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final Duration TTL = Duration.ofMinutes(15);

    /** The Shopify topics the gateway handles (WebhookIntake), subscribed per shop at install. */
    public static final List<String> SHOPIFY_TOPICS =
            List.of("ORDERS_CREATE", "ORDERS_PAID", "ORDERS_UPDATED", "ORDERS_CANCELLED", "APP_UNINSTALLED");
    /** The WooCommerce topics the gateway handles, created per site at connect. */
    public static final List<String> WOO_TOPICS = List.of("order.created", "order.updated");

    /** Where to send the retailer's browser next. */
    public record Started(String authorizeUrl, String state, Instant expiresAt) {}

    private final Mutiny.SessionFactory sessions;
    private final StoreConnections stores;
    private final StoreHttp http;
    private final ShopifyAdminClient shopify;
    private final GatewayConfig config;

    public StoreInstalls(
            Mutiny.SessionFactory sessions,
            StoreConnections stores,
            StoreHttp http,
            ShopifyAdminClient shopify,
            GatewayConfig config) {
        this.sessions = sessions;
        this.stores = stores;
        this.http = http;
        this.shopify = shopify;
        this.config = config;
    }

    private String clientId() {
        return config.shopify()
                .clientId()
                .orElseThrow(
                        () -> new ProblemException(
                                501,
                                "Not Implemented",
                                "this installation has no Shopify app configured (dropship.shopify.client-id): connect with a token"));
    }

    private String clientSecret() {
        return config.shopify()
                .clientSecret()
                .orElseThrow(() -> new ProblemException(
                        501,
                        "Not Implemented",
                        "this installation has no Shopify app configured (dropship.shopify.client-secret)"));
    }

    // ---- Shopify ----

    public Uni<Started> startShopify(String retailerId, String shop) {
        String domain = StoreConnections.normalizeDomain(StorePlatform.SHOPIFY, shop);
        String clientId = clientId();
        return pending(retailerId, StorePlatform.SHOPIFY, domain)
                .map(p -> new Started(
                        adminBase(domain) + "/admin/oauth/authorize"
                                + "?client_id=" + enc(clientId) + "&scope="
                                + enc(String.join(",", config.shopify().scopes()))
                                + "&redirect_uri=" + enc(config.api().publicUrl() + "/api/stores/shopify/callback")
                                + "&state=" + enc(p.state()),
                        p.state(),
                        p.expiresAt()));
    }

    /** Checks a link Shopify signed (an install link, or the redirect back) and answers its shop; 401 otherwise. */
    public String verifiedShop(Map<String, List<String>> query) {
        String hmac = first(query, "hmac");
        if (hmac == null || !validQuery(query, clientSecret(), hmac)) {
            throw ProblemException.unauthorized("the link is not signed by Shopify")
                    .type("signature-not-valid");
        }
        String timestamp = first(query, "timestamp");
        try {
            if (timestamp == null || Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) > 3600) {
                throw ProblemException.unauthorized("the link has expired: start again")
                        .type("link-not-valid");
            }
        } catch (NumberFormatException e) {
            throw ProblemException.unauthorized("the link has expired: start again")
                    .type("link-not-valid");
        }
        return StoreConnections.normalizeDomain(StorePlatform.SHOPIFY, first(query, "shop"));
    }

    /** Shopify's redirect back with the code: the store connected and subscribed; its id. */
    public Uni<String> finishShopify(Map<String, List<String>> query) {
        String shop = verifiedShop(query);
        String code = first(query, "code");
        if (code == null || code.isBlank()) {
            throw ProblemException.badRequest("the redirect carries no code");
        }
        return claim(first(query, "state"), StorePlatform.SHOPIFY, shop)
                .map(Claimed::retailerId)
                .chain(retailerId -> http.send(
                                http.request(HttpMethod.POST, adminBase(shop) + "/admin/oauth/access_token"),
                                new JsonObject()
                                        .put("client_id", clientId())
                                        .put("client_secret", clientSecret())
                                        .put("code", code),
                                r -> Uni.createFrom().item(new PushResult.Done(null, r.bodyAsString())))
                        .chain(result -> {
                            if (!(result instanceof PushResult.Done done)) {
                                throw new ProblemException(
                                        502, "Bad Gateway", "Shopify did not exchange the code: " + result);
                            }
                            JsonObject token = new JsonObject(done.detail());
                            List<String> granted =
                                    List.of(token.getString("scope", "").split(","));
                            List<String> missing = config.shopify().scopes().stream()
                                    .filter(s -> !granted.contains(s)
                                            && !(s.startsWith("read_") && granted.contains("write_" + s.substring(5))))
                                    .toList();
                            if (missing.isEmpty() == false) {
                                throw ProblemException.forbidden("the shop did not grant " + String.join(", ", missing))
                                        .type("scopes-not-granted");
                            }
                            return stores.connect(
                                    retailerId,
                                    StorePlatform.SHOPIFY,
                                    shop,
                                    clientSecret(),
                                    token.getString("access_token"),
                                    "orders/paid");
                        })
                        .chain(store -> recordStore(first(query, "state"), store.id)
                                .chain(() -> subscribeShopify(store, shop))
                                .replaceWith(store.id)));
    }

    private Uni<Void> subscribeShopify(StoreConnection store, String shop) {
        String token = stores.apiToken(store);
        String uri = config.api().publicUrl() + "/webhooks/shopify";
        return Multi.createFrom()
                .iterable(SHOPIFY_TOPICS)
                .onItem()
                .transformToUniAndConcatenate(topic -> http.send(
                                http.request(HttpMethod.POST, shopify.graphqlUrl(shop))
                                        .putHeader("X-Shopify-Access-Token", token),
                                new JsonObject()
                                        .put(
                                                "query",
                                                "mutation webhookSubscriptionCreate($topic: WebhookSubscriptionTopic!,"
                                                        + " $webhookSubscription: WebhookSubscriptionInput!) { webhookSubscriptionCreate(topic: $topic,"
                                                        + " webhookSubscription: $webhookSubscription) { webhookSubscription { id topic } userErrors"
                                                        + " { field message } } }")
                                        .put(
                                                "variables",
                                                new JsonObject()
                                                        .put("topic", topic)
                                                        .put(
                                                                "webhookSubscription",
                                                                new JsonObject()
                                                                        .put("uri", uri)
                                                                        .put("format", "JSON"))),
                                r -> {
                                    JsonObject created = r.bodyAsJsonObject()
                                            .getJsonObject("data", new JsonObject())
                                            .getJsonObject("webhookSubscriptionCreate", new JsonObject());
                                    JsonArray errors = created.getJsonArray("userErrors", new JsonArray());
                                    JsonObject subscription = created.getJsonObject("webhookSubscription");
                                    if (subscription == null) {
                                        return Uni.createFrom()
                                                .item(new PushResult.Failed(
                                                        "subscribing to " + topic + ": " + errors.encode()));
                                    }
                                    return Uni.createFrom()
                                            .item(new PushResult.Done(subscription.getString("id"), null));
                                })
                        .chain(result -> recordWebhook(store.id, topic, result)))
                .collect()
                .asList()
                .replaceWithVoid();
    }

    // ---- WooCommerce ----

    public Uni<Started> startWoo(String retailerId, String site) {
        String url = StoreConnections.normalizeDomain(StorePlatform.WOOCOMMERCE, site);
        String refused = StoreConnections.siteRefusal(url, config.woocommerce().blockPrivateAddresses());
        if (refused != null) {
            throw ProblemException.badRequest(refused);
        }
        return pending(retailerId, StorePlatform.WOOCOMMERCE, url)
                .map(p -> new Started(
                        url + "/wc-auth/v1/authorize"
                                + "?app_name=" + enc("Dropship") + "&scope=read_write&user_id=" + enc(p.state())
                                + "&return_url=" + enc(config.accounts().appUrl() + "/stores?connected=woocommerce")
                                + "&callback_url=" + enc(config.api().publicUrl() + "/api/stores/woocommerce/callback"),
                        p.state(),
                        p.expiresAt()));
    }

    /** The keys a WooCommerce site POSTs to the callback: the store connected and its webhooks created; its id. */
    public Uni<String> finishWoo(JsonObject keys) {
        String state = keys.getValue("user_id") == null ? null : String.valueOf(keys.getValue("user_id"));
        String key = keys.getString("consumer_key");
        String secret = keys.getString("consumer_secret");
        if (key == null || secret == null || !"read_write".equals(keys.getString("key_permissions"))) {
            throw ProblemException.badRequest("the keys must be read_write consumer keys");
        }
        return claim(state, StorePlatform.WOOCOMMERCE, null).chain(claimed -> {
            String webhookSecret = token(32);
            return stores.connect(
                            claimed.retailerId(),
                            StorePlatform.WOOCOMMERCE,
                            claimed.domain(),
                            webhookSecret,
                            key + ":" + secret,
                            "orders/paid")
                    .chain(store -> recordStore(state, store.id)
                            .chain(() -> createWooWebhooks(store, webhookSecret))
                            .replaceWith(store.id));
        });
    }

    private Uni<Void> createWooWebhooks(StoreConnection store, String webhookSecret) {
        WooCommerceClient.Credentials c = WooCommerceClient.Credentials.parse(stores.apiToken(store));
        String deliveryUrl = config.api().publicUrl() + "/webhooks/woocommerce";
        return Multi.createFrom()
                .iterable(WOO_TOPICS)
                .onItem()
                .transformToUniAndConcatenate(topic -> http.send(
                                http.checkedRequest(HttpMethod.POST, store.shopDomain + "/wp-json/wc/v3/webhooks")
                                        .map(r -> r.basicAuthentication(c.consumerKey(), c.consumerSecret())),
                                new JsonObject()
                                        .put("name", "Dropship " + topic)
                                        .put("topic", topic)
                                        .put("delivery_url", deliveryUrl)
                                        .put("secret", webhookSecret)
                                        .put("status", "active"),
                                r -> Uni.createFrom()
                                        .item(new PushResult.Done(
                                                String.valueOf(
                                                        r.bodyAsJsonObject().getValue("id")),
                                                null)))
                        .chain(result -> recordWebhook(store.id, topic, result)))
                .collect()
                .asList()
                .replaceWithVoid();
    }

    // ---- Disconnect ----

    /**
     * The retailer disconnects a store: the webhooks the platform created there are deleted (WooCommerce webhooks,
     * Shopify subscriptions), its credentials are erased and it is DISCONNECTED. A store's orders already taken in
     * keep being fulfilled; nothing new comes from it or goes to it.
     */
    public Uni<Void> disconnect(String retailerId, String storeId) {
        return sessions.withSession(s -> s.find(StoreConnection.class, storeId)).chain(store -> {
            if (store == null || !store.retailerId.equals(retailerId)) {
                throw ProblemException.notFound("store " + storeId);
            }
            if (!"ACTIVE".equals(store.status)) {
                return Uni.createFrom().voidItem();
            }
            return webhooks(storeId)
                    .chain(ids -> Multi.createFrom()
                            .iterable(ids)
                            .onItem()
                            .transformToUniAndConcatenate(id -> deleteWebhook(store, id))
                            .collect()
                            .asList())
                    .chain(() -> sessions.withTransaction(s -> s.find(StoreConnection.class, storeId)
                            .invoke(c -> {
                                c.status = "DISCONNECTED";
                                c.apiToken = stores.seal("");
                                c.webhookSecret = stores.seal(token(32));
                                c.updatedAt = Instant.now();
                            })
                            .chain(() -> s.createNativeQuery("delete from store_webhook where store_id = :id")
                                    .setParameter("id", storeId)
                                    .executeUpdate())))
                    .invoke(() -> LOG.infof("store %s of retailer %s disconnected", storeId, retailerId))
                    .replaceWithVoid();
        });
    }

    private Uni<PushResult> deleteWebhook(StoreConnection store, String remoteId) {
        if (StorePlatform.WOOCOMMERCE.name().equals(store.platform)) {
            WooCommerceClient.Credentials c = WooCommerceClient.Credentials.parse(stores.apiToken(store));
            return http.send(
                    http.checkedRequest(
                                    HttpMethod.DELETE,
                                    store.shopDomain + "/wp-json/wc/v3/webhooks/" + enc(remoteId) + "?force=true")
                            .map(r -> r.basicAuthentication(c.consumerKey(), c.consumerSecret())),
                    new JsonObject(),
                    r -> Uni.createFrom().item(new PushResult.Done(remoteId, null)));
        }
        return http.send(
                http.request(HttpMethod.POST, shopify.graphqlUrl(store.shopDomain))
                        .putHeader("X-Shopify-Access-Token", stores.apiToken(store)),
                new JsonObject()
                        .put(
                                "query",
                                "mutation webhookSubscriptionDelete($id: ID!) { webhookSubscriptionDelete(id: $id)"
                                        + " { deletedWebhookSubscriptionId userErrors { field message } } }")
                        .put("variables", new JsonObject().put("id", remoteId)),
                r -> Uni.createFrom().item(new PushResult.Done(remoteId, null)));
    }

    // ---- Pending installs ----

    private record Pending(String state, Instant expiresAt) {}

    private Uni<Pending> pending(String retailerId, StorePlatform platform, String domain) {
        String state = token(32);
        Instant now = Instant.now();
        Instant expires = now.plus(TTL);
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "delete from store_install where expires_at < now() - interval '1 day'")
                        .executeUpdate()
                        .chain(() -> s.createNativeQuery(
                                        "insert into store_install (state, retailer_id, platform,"
                                                + " shop_domain, created_at, expires_at) values (:state, :retailerId, :p, :d, :now, :exp)")
                                .setParameter("state", state)
                                .setParameter("retailerId", retailerId)
                                .setParameter("p", platform.name())
                                .setParameter("d", domain)
                                .setParameter("now", now.atOffset(ZoneOffset.UTC))
                                .setParameter("exp", expires.atOffset(ZoneOffset.UTC))
                                .executeUpdate()))
                .replaceWith(new Pending(state, expires));
    }

    /** A pending install, used: whose it is and for which store. */
    private record Claimed(String retailerId, String domain) {}

    /** Uses a pending install once (for that store, when {@code domain} is given): whose it is and for which store. */
    private Uni<Claimed> claim(String state, StorePlatform platform, String domain) {
        if (state == null || state.isBlank()) {
            throw ProblemException.badRequest("the redirect carries no state").type("link-not-valid");
        }
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update store_install set used_at = now() where state = :state"
                                        + " and used_at is null and expires_at > now() and platform = :p"
                                        + " and (cast(:d as text) is null or shop_domain = cast(:d as text)) returning retailer_id, shop_domain",
                                Object[].class)
                        .setParameter("state", state)
                        .setParameter("p", platform.name())
                        .setParameter("d", domain)
                        .getSingleResultOrNull())
                .map(row -> {
                    if (row == null) {
                        throw ProblemException.badRequest(
                                        "this connection was not started here for this store, was finished"
                                                + " already or has expired: start again")
                                .type("link-not-valid");
                    }
                    return new Claimed((String) row[0], (String) row[1]);
                });
    }

    private Uni<Void> recordStore(String state, String storeId) {
        return sessions.withTransaction(
                        s -> s.createNativeQuery("update store_install set store_id = :id where state = :state")
                                .setParameter("id", storeId)
                                .setParameter("state", state)
                                .executeUpdate())
                .replaceWithVoid();
    }

    private Uni<Void> recordWebhook(String storeId, String topic, PushResult result) {
        if (!(result instanceof PushResult.Done done)) {
            LOG.warnf("store %s: webhook %s not created: %s", storeId, topic, result);
            return Uni.createFrom()
                    .failure(new ProblemException(
                            502, "Bad Gateway", "the store did not create the webhook for " + topic + ": " + result));
        }
        return sessions.withTransaction(
                        s -> s.createNativeQuery("insert into store_webhook (store_id, remote_id, topic, created_at)"
                                        + " values (:storeId, :id, :t, now()) on conflict do nothing")
                                .setParameter("storeId", storeId)
                                .setParameter("id", done.reference())
                                .setParameter("t", topic)
                                .executeUpdate())
                .replaceWithVoid();
    }

    private Uni<List<String>> webhooks(String storeId) {
        return sessions.withSession(s -> s.createNativeQuery(
                        "select remote_id from store_webhook where store_id = :storeId order by topic", String.class)
                .setParameter("storeId", storeId)
                .getResultList());
    }

    // ---- Helpers ----

    private String adminBase(String shop) {
        return config.shopify().adminUrl().replace("{shop}", shop);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    static String token(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * Shopify's signature of a redirect or link: the hex HMAC-SHA256, with the app's client secret, of every other
     * parameter (decoded), sorted by name, as {@code name=value} joined by {@code &}.
     */
    public static String signQuery(Map<String, List<String>> query, String secret) {
        TreeMap<String, String> sorted = new TreeMap<>();
        query.forEach((k, v) -> {
            if (!k.equals("hmac") && !k.equals("signature") && !v.isEmpty()) {
                sorted.put(
                        k.replace("%", "%25").replace("&", "%26").replace("=", "%3D"),
                        v.get(0).replace("%", "%25").replace("&", "%26"));
            }
        });
        StringBuilder message = new StringBuilder();
        sorted.forEach((k, v) -> message.append(message.isEmpty() ? "" : "&")
                .append(k)
                .append('=')
                .append(v));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(message.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean validQuery(Map<String, List<String>> query, String secret, String presented) {
        return MessageDigest.isEqual(
                signQuery(query, secret).getBytes(StandardCharsets.US_ASCII),
                presented.trim().toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
