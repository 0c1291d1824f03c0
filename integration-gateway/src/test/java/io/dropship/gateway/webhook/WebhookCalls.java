package io.dropship.gateway.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.gateway.domain.WebhookSignature;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.UUID;

/** Store webhooks as Shopify and WooCommerce send them, signed with the test stores' secret. */
public final class WebhookCalls {

    static final ObjectMapper JSON = new ObjectMapper();
    public static final String SECRET = "shpss_0123456789abcdef";

    private WebhookCalls() {}

    public static ObjectNode load(String name) throws Exception {
        try (InputStream in = WebhookCalls.class.getResourceAsStream("/webhooks/" + name)) {
            return (ObjectNode) JSON.readTree(in);
        }
    }

    /** Connects a store for the retailer and returns its id. */
    static String connect(String retailer, String platform, String domain) {
        return given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"platform\":\"" + platform + "\",\"shopDomain\":\"" + domain + "\",\"webhookSecret\":\""
                        + SECRET + "\",\"apiToken\":\""
                        + ("WOOCOMMERCE".equals(platform) ? "ck_test:cs_test" : "shpat_secret_token") + "\"}")
                .post("/api/stores")
                .then()
                .statusCode(201)
                .body("webhookSecret", equalTo(null))
                .body("apiToken", equalTo(null))
                .extract()
                .path("storeId");
    }

    static ValidatableResponse shopify(
            String shop, String topic, String eventId, String body, String signature, String triggeredAt) {
        return given().contentType(ContentType.JSON)
                .header("X-Shopify-Hmac-Sha256", signature)
                .header("X-Shopify-Shop-Domain", shop)
                .header("X-Shopify-Topic", topic)
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Event-Id", eventId)
                .header("X-Shopify-Triggered-At", triggeredAt)
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/webhooks/shopify")
                .then();
    }

    public static ValidatableResponse shopify(String shop, String topic, String eventId, String body) {
        return shopify(shop, topic, eventId, body, sign(body), Instant.now().toString());
    }

    static ValidatableResponse shopifyAt(String shop, String topic, String body, Instant triggeredAt) {
        return shopify(shop, topic, UUID.randomUUID().toString(), body, sign(body), triggeredAt.toString());
    }

    static String sign(String body) {
        return WebhookSignature.sign(SECRET, body.getBytes(StandardCharsets.UTF_8));
    }

    static ValidatableResponse woo(String site, String topic, String body, String signature) {
        return given().contentType(ContentType.JSON)
                .header("X-WC-Webhook-Signature", signature)
                .header("X-WC-Webhook-Source", site + "/")
                .header("X-WC-Webhook-Topic", topic)
                .header("X-WC-Webhook-Delivery-ID", UUID.randomUUID().toString())
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/webhooks/woocommerce")
                .then();
    }

    static ValidatableResponse woo(String site, String topic, String body) {
        return woo(site, topic, body, sign(body));
    }

    /** A number from the gateway's database (the test JVM's shared server). */
    static long count(String sql, Object... parameters) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
