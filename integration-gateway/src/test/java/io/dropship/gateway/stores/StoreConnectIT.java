package io.dropship.gateway.stores;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.fakestores.FakeStores;
import io.dropship.gateway.domain.WebhookSignature;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A retailer connects a Shopify shop and a WooCommerce site in one click, as store apps do, against fake stores that
 * speak the stores' OAuth and key-generation wire formats; and disconnects, and is uninstalled.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(StoreAppsTestResource.class)
class StoreConnectIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String retailer = "ret-connect-" + run;
    private final FakeStores fakes = FakeStoresTestResource.fakes();

    /** What a browser does with a redirect to the gateway: the same request, on the gateway. */
    private static Response follow(String location) {
        URI uri = URI.create(location);
        return given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .get(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    private static String store(String retailerToken, String storeId, String field) {
        return given().auth()
                .oauth2(retailerToken)
                .get("/api/stores")
                .then()
                .statusCode(200)
                .extract()
                .path("items.find { it.storeId == '" + storeId + "' }." + field);
    }

    @Test
    void aShopifyShopConnectsInOneClickIsSubscribedAndIsCleanedUpWhenItUninstalls() throws Exception {
        String shop = "oneclick-" + run + ".myshopify.com";
        fakes.shopify(shop, "not-yet-installed");
        String token = TestTokens.retailer(retailer);
        String authorize = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("shopDomain", shop))
                .post("/api/stores/shopify/install")
                .then()
                .statusCode(200)
                .body(
                        "authorizeUrl",
                        startsWith(fakes.baseUrl() + "/shopify/" + shop + "/admin/oauth/authorize?client_id="
                                + StoreAppsTestResource.CLIENT_ID + "&scope=read_orders%2C"))
                .extract()
                .path("authorizeUrl");

        // The shop's owner approves; Shopify sends the browser back to the gateway with a signed code.
        String callback = given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .get(authorize)
                .then()
                .statusCode(302)
                .extract()
                .header("Location");
        assertTrue(
                callback.startsWith(
                        "http://127.0.0.1:" + StoreAppsTestResource.port() + "/api/stores/shopify/callback?"),
                callback);
        // A tampered redirect is refused before anything is used.
        follow(callback.replace("shop=" + shop, "shop=evil-" + run + ".myshopify.com"))
                .then()
                .statusCode(401)
                .body("type", equalTo("urn:dropship:problem:signature-not-valid"));
        String landing = follow(callback).then().statusCode(303).extract().header("Location");
        assertTrue(
                landing.startsWith("https://app.dropship.test/stores/st-") && landing.endsWith("?connected=shopify"),
                landing);
        String storeId = landing.substring("https://app.dropship.test/stores/".length(), landing.indexOf('?'));
        assertEquals("ACTIVE", store(token, storeId, "status"));
        // The same redirect again (a replayed code) connects nothing twice.
        follow(callback).then().statusCode(400).body("type", equalTo("urn:dropship:problem:link-not-valid"));

        // Subscribed through the Admin GraphQL API, with the offline token the code was exchanged for.
        List<String> topics = fakes.shopify(shop).subscriptions().stream()
                .map(s -> s.get("topic"))
                .sorted()
                .toList();
        assertEquals(
                List.of("APP_UNINSTALLED", "ORDERS_CANCELLED", "ORDERS_CREATE", "ORDERS_PAID", "ORDERS_UPDATED"),
                topics);
        assertTrue(fakes.shopify(shop).subscriptions().stream()
                .allMatch(s ->
                        s.get("uri").equals("http://127.0.0.1:" + StoreAppsTestResource.port() + "/webhooks/shopify")));
        FakeStores.Call exchange =
                fakes.calls("/shopify/" + shop + "/admin/oauth/access_token").get(0);
        assertEquals(
                StoreAppsTestResource.CLIENT_SECRET,
                exchange.json().get("client_secret").asText());

        // The shop's webhooks are signed with the app's secret.
        byte[] body = ("{\"id\":" + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L)
                        + ",\"financial_status\":\"pending\",\"line_items\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        given().contentType(ContentType.JSON)
                .header("X-Shopify-Hmac-Sha256", WebhookSignature.sign(StoreAppsTestResource.CLIENT_SECRET, body))
                .header("X-Shopify-Shop-Domain", shop)
                .header("X-Shopify-Topic", "orders/create")
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Triggered-At", Instant.now().toString())
                .body(body)
                .post("/webhooks/shopify")
                .then()
                .statusCode(200);

        // The owner uninstalls the app: Shopify tells the gateway, which stops and erases the token.
        JsonNode uninstalled = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(given().post(fakes.baseUrl() + "/_fake/shopify/" + shop + "/uninstall")
                        .asString());
        assertEquals(1, uninstalled.get("delivered").asInt());
        assertEquals("UNINSTALLED", store(token, storeId, "status"));
    }

    @Test
    void aShopifyInstallIsRefusedForAnotherShopAnInvalidDomainOrAnInstallLinkNotSignedByShopify() {
        String token = TestTokens.retailer(retailer);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("shopDomain", "evil.example.com/x"))
                .post("/api/stores/shopify/install")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier("sup-1"))
                .contentType(ContentType.JSON)
                .body(Map.of("shopDomain", "a.myshopify.com"))
                .post("/api/stores/shopify/install")
                .then()
                .statusCode(403);
        // Shopify's install link, signed and not.
        Map<String, List<String>> link = Map.of(
                "shop",
                List.of("linked-" + run + ".myshopify.com"),
                "timestamp",
                List.of(String.valueOf(Instant.now().getEpochSecond())),
                "host",
                List.of("YWRtaW4"));
        String hmac = StoreInstalls.signQuery(link, StoreAppsTestResource.CLIENT_SECRET);
        given().redirects()
                .follow(false)
                .queryParam("shop", "linked-" + run + ".myshopify.com")
                .queryParam("timestamp", link.get("timestamp").get(0))
                .queryParam("host", "YWRtaW4")
                .queryParam("hmac", hmac)
                .get("/api/stores/shopify/install")
                .then()
                .statusCode(303)
                .header(
                        "Location",
                        "https://app.dropship.test/stores/connect/shopify?shop=linked-" + run + ".myshopify.com");
        given().redirects()
                .follow(false)
                .queryParam("shop", "linked-" + run + ".myshopify.com")
                .queryParam("timestamp", link.get("timestamp").get(0))
                .queryParam("host", "YWRtaW4")
                // Another first digit (prefixing "00" left an hmac that began with "00" as it was: 1 run in 256).
                .queryParam("hmac", (hmac.charAt(0) == '0' ? "1" : "0") + hmac.substring(1))
                .get("/api/stores/shopify/install")
                .then()
                .statusCode(401);
        // A state that was never started here.
        Map<String, List<String>> forged = Map.of(
                "shop",
                List.of("x-" + run + ".myshopify.com"),
                "code",
                List.of("abc"),
                "state",
                List.of("never-started"),
                "timestamp",
                List.of(String.valueOf(Instant.now().getEpochSecond())));
        given().redirects()
                .follow(false)
                .queryParam("shop", "x-" + run + ".myshopify.com")
                .queryParam("code", "abc")
                .queryParam("state", "never-started")
                .queryParam("timestamp", forged.get("timestamp").get(0))
                .queryParam("hmac", StoreInstalls.signQuery(forged, StoreAppsTestResource.CLIENT_SECRET))
                .get("/api/stores/shopify/callback")
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:dropship:problem:link-not-valid"));
    }

    @Test
    void aWooCommerceSiteConnectsInOneClickWithItsWebhooksAndDisconnectingDeletesThem() {
        String site = "oneclick-" + run;
        fakes.woo(site, "ck_pasted", "cs_pasted");
        String token = TestTokens.retailer(retailer);
        String authorize = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("siteUrl", fakes.wooSiteUrl(site)))
                .post("/api/stores/woocommerce/connect")
                .then()
                .statusCode(200)
                .body(
                        "authorizeUrl",
                        startsWith(fakes.wooSiteUrl(site)
                                + "/wc-auth/v1/authorize?app_name=Dropship&scope=read_write&user_id="))
                .extract()
                .path("authorizeUrl");
        // The site's owner approves: the site POSTs the keys to the gateway, then sends the browser back to the app.
        given().redirects()
                .follow(false)
                .urlEncodingEnabled(false)
                .get(authorize)
                .then()
                .statusCode(302)
                .header(
                        "Location",
                        startsWith("https://app.dropship.test/stores?connected=woocommerce&success=1&user_id="));
        String storeId = given().auth()
                .oauth2(token)
                .get("/api/stores")
                .then()
                .statusCode(200)
                .extract()
                .path("items.find { it.shopDomain == '" + fakes.wooSiteUrl(site) + "' }.storeId");
        assertEquals("ACTIVE", store(token, storeId, "status"));

        List<com.fasterxml.jackson.databind.node.ObjectNode> hooks =
                fakes.woo(site).webhooks();
        assertEquals(
                List.of("order.created", "order.updated"),
                hooks.stream().map(h -> h.get("topic").asText()).sorted().toList());
        String secret = hooks.get(0).get("secret").asText();
        assertTrue(secret.length() >= 40
                && hooks.stream()
                        .allMatch(h -> h.get("secret").asText().equals(secret)
                                && h.get("delivery_url")
                                        .asText()
                                        .equals("http://127.0.0.1:" + StoreAppsTestResource.port()
                                                + "/webhooks/woocommerce")));
        // Its deliveries are signed with that secret; the pasted keys no longer open the site.
        byte[] body = "{\"id\":1,\"status\":\"pending\",\"line_items\":[]}".getBytes(StandardCharsets.UTF_8);
        given().contentType(ContentType.JSON)
                .header("X-WC-Webhook-Signature", WebhookSignature.sign(secret, body))
                .header("X-WC-Webhook-Source", fakes.wooSiteUrl(site) + "/")
                .header("X-WC-Webhook-Topic", "order.created")
                .header("X-WC-Webhook-Delivery-ID", UUID.randomUUID().toString())
                .body(body)
                .post("/webhooks/woocommerce")
                .then()
                .statusCode(200);

        // Another retailer cannot disconnect it; its owner can, and the webhooks go with it.
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + run))
                .delete("/api/stores/" + storeId)
                .then()
                .statusCode(404);
        given().auth().oauth2(token).delete("/api/stores/" + storeId).then().statusCode(204);
        assertEquals(0, fakes.woo(site).webhooks().size());
        assertEquals("DISCONNECTED", store(token, storeId, "status"));
        // A key delivery for a connection never started is refused.
        given().contentType(ContentType.JSON)
                .body(Map.of(
                        "key_id",
                        1,
                        "user_id",
                        "never-started",
                        "consumer_key",
                        "ck_x",
                        "consumer_secret",
                        "cs_x",
                        "key_permissions",
                        "read_write"))
                .post("/api/stores/woocommerce/callback")
                .then()
                .statusCode(400);
    }
}
