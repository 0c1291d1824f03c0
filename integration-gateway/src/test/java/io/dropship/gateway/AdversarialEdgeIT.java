package io.dropship.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.gateway.domain.WebhookSignature;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The public edge under hostile input: each malformed, mistyped, oversized or wrongly encoded webhook or order gets a
 * clear 4xx (or, for a correctly signed delivery the platform cannot use, 200 INVALID so the store stops retrying),
 * never a 5xx, and nothing of it becomes an order.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AdversarialEdgeIT {

    private static final String SECRET = "shpss_adversarial_0123456789";
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String retailer = "ret-adv-" + run;
    private final String shop = "adv-" + run + ".myshopify.com";

    private String connect() {
        return given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"platform\":\"SHOPIFY\",\"shopDomain\":\"" + shop + "\",\"webhookSecret\":\"" + SECRET
                        + "\",\"apiToken\":\"shpat_adv\"}")
                .post("/api/stores")
                .then()
                .statusCode(201)
                .extract()
                .path("storeId");
    }

    private ValidatableResponse deliver(byte[] body) {
        return given().contentType(ContentType.JSON)
                .header("X-Shopify-Hmac-Sha256", WebhookSignature.sign(SECRET, body))
                .header("X-Shopify-Shop-Domain", shop)
                .header("X-Shopify-Topic", "orders/paid")
                .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Event-Id", UUID.randomUUID().toString())
                .header("X-Shopify-Triggered-At", Instant.now().toString())
                .body(body)
                .post("/webhooks/shopify")
                .then();
    }

    private ObjectNode order(long id) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/webhooks/shopify-order.json")) {
            return ((ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(in)).put("id", id);
        }
    }

    private static long ordersOf(String storeId) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement("select count(*) from inbound_order where store_id = ?")) {
            s.setString(1, storeId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void signedWebhooksThatAreNotUsableOrdersAreRefusedOrMarkedInvalidAndTakeNothing() throws Exception {
        String storeId = connect();
        long id = Math.abs(UUID.randomUUID().getMostSignificantBits());

        // Not JSON text, not an object, not UTF-8, nested past any order's depth.
        deliver("{\"id\": 1, \"line_items\": [".getBytes(StandardCharsets.UTF_8))
                .statusCode(400)
                .contentType(startsWith("application/problem+json"));
        deliver("[]".getBytes(StandardCharsets.UTF_8)).statusCode(anyOf(equalTo(400), equalTo(200)));
        deliver("\"an order\"".getBytes(StandardCharsets.UTF_8)).statusCode(anyOf(equalTo(400), equalTo(200)));
        deliver(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'})
                .statusCode(anyOf(equalTo(400), equalTo(200)));
        deliver(("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8))
                .statusCode(400);

        // Wrongly typed or impossible fields in a well-formed order.
        ObjectNode words = order(id + 1);
        ((ObjectNode) words.withArray("line_items").get(0)).put("quantity", "two");
        deliver(words.toString().getBytes(StandardCharsets.UTF_8))
                .statusCode(200)
                .body("outcome", equalTo("INVALID"));
        ObjectNode negative = order(id + 2);
        ((ObjectNode) negative.withArray("line_items").get(0)).put("quantity", -3);
        deliver(negative.toString().getBytes(StandardCharsets.UTF_8))
                .statusCode(200)
                .body("outcome", equalTo("INVALID"));
        ObjectNode huge = order(id + 3);
        ((ObjectNode) huge.withArray("line_items").get(0)).put("quantity", 1L << 40);
        deliver(huge.toString().getBytes(StandardCharsets.UTF_8))
                .statusCode(200)
                .body("outcome", equalTo("INVALID"));
        ObjectNode price = order(id + 4);
        ((ObjectNode) price.withArray("line_items").get(0)).put("price", "free");
        // Unreadable, not transient: INVALID at once, never kept (202) and retried for ever.
        deliver(price.toString().getBytes(StandardCharsets.UTF_8))
                .statusCode(200)
                .body("outcome", equalTo("INVALID"));
        ObjectNode wraps = order(id + 7);
        ((ObjectNode) wraps.withArray("line_items").get(0)).put("quantity", (1L << 32) + 1);
        deliver(wraps.toString().getBytes(StandardCharsets.UTF_8))
                .statusCode(200)
                .body("outcome", equalTo("INVALID"));
        ObjectNode noLines = order(id + 5);
        noLines.putArray("line_items");
        deliver(noLines.toString().getBytes(StandardCharsets.UTF_8))
                .statusCode(200)
                .body("outcome", equalTo("INVALID"));

        // Larger than any order: refused before it is read.
        ObjectNode padded = order(id + 6);
        padded.put("note", "x".repeat(2 * 1024 * 1024));
        deliver(padded.toString().getBytes(StandardCharsets.UTF_8)).statusCode(413);

        assertEquals(0, ordersOf(storeId), "nothing of it became an order");
    }

    @Test
    void customStoreOrdersWithWrongTypesOrNoBodyAreRefusedWithTheFieldNamed() {
        String token = TestTokens.retailer(retailer);
        String good = "{\"storeOrderId\":\"so-" + run + "\",\"currency\":\"USD\",\"customerEmail\":\"a@example.com\","
                + "\"lines\":[{\"lineId\":\"1\",\"sku\":\"S\",\"title\":\"T\",\"quantity\":%s,\"retailPrice\":%s}],"
                + "\"shippingAddress\":{\"name\":\"Ada\",\"line1\":\"1 Way\",\"city\":\"London\",\"postalCode\":\"N1\","
                + "\"country\":\"GB\"}}";
        for (String[] bad : new String[][] {
            {"\"two\"", "\"1.00\""},
            {"-1", "\"1.00\""},
            {"1", "\"free\""},
            {"1", "\"1e400\""},
            {"99999999999", "\"1.00\""}
        }) {
            given().auth()
                    .oauth2(token)
                    .contentType(ContentType.JSON)
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .body(String.format(good, bad[0], bad[1]))
                    .post("/api/orders")
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/api/orders")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body("null")
                .post("/api/orders")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType("text/plain")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body("storeOrderId=1")
                .post("/api/orders")
                .then()
                .statusCode(415);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .body("{\"storeOrderId\": {\"$gt\": \"\"}}")
                .post("/api/orders")
                .then()
                .statusCode(400);
    }
}
