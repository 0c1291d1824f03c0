package io.dropship.gateway.webhook;

import static io.dropship.gateway.webhook.WebhookCalls.load;
import static io.dropship.gateway.webhook.WebhookCalls.shopify;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.platform.web.SealedSecrets;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Privacy requests at the gateway: Shopify's privacy webhooks and the retailer's API start them, the gateway erases
 * or exports its own copy at once, publishes PrivacyRequested, and completes the request once order-service and
 * fulfillment-service have answered (their answers are published here as those services publish them).
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class PrivacyRequestIT {

    private static final ObjectMapper JSON = WebhookCalls.JSON;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String retailer = "ret-" + run;
    private final String shop = "privacy-" + run + ".myshopify.com";
    private final String email = "ada-" + run + "@example.com";

    @Inject
    WebhookRetention retention;

    @Inject
    SealedSecrets secrets;

    /** A paid order of the shop for the customer; answers its store order id. */
    private String paidOrder(String customerEmail) throws Exception {
        String id = String.valueOf(Math.abs(UUID.randomUUID().getMostSignificantBits()));
        ObjectNode order =
                load("shopify-order.json").put("id", Long.parseLong(id)).put("email", customerEmail);
        ((ObjectNode) order.get("shipping_address")).put("name", "Ada Lovelace");
        shopify(shop, "orders/paid", UUID.randomUUID().toString(), order.toString())
                .statusCode(200)
                .body("outcome", equalTo("ORDER_ACCEPTED"));
        return id;
    }

    private String privacyWebhook(String topic, ObjectNode body) {
        String detail = shopify(shop, topic, UUID.randomUUID().toString(), body.toString())
                .statusCode(200)
                .body("outcome", equalTo("PRIVACY_REQUEST_ACCEPTED"))
                .extract()
                .path("detail");
        return detail.substring("privacy request ".length());
    }

    private ObjectNode customerBody(String key, String... orders) {
        ObjectNode body = JSON.createObjectNode().put("shop_id", 954889).put("shop_domain", shop);
        body.putObject("customer").put("id", 191167).put("email", email).put("phone", "555-625-1199");
        body.putArray(key)
                .addAll(java.util.Arrays.stream(orders)
                        .map(o -> JSON.getNodeFactory().numberNode(Long.parseLong(o)))
                        .toList());
        return body;
    }

    private static JsonNode requested(String requestId) throws Exception {
        ConsumerRecord<String, String> r =
                TopicProbe.await("PrivacyRequested", x -> requestId.equals(x.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("PrivacyRequested", r.value());
        return JSON.readTree(r.value());
    }

    /** A service's answer to one part, as order-service or fulfillment-service publishes it. */
    private static void answer(
            String requestId,
            String service,
            String kind,
            int part,
            int parts,
            List<String> orders,
            List<ObjectNode> data)
            throws Exception {
        ObjectNode done = (ObjectNode) JSON.readTree(ContractCheck.example("PrivacyRequestDone"));
        done.put("requestId", requestId)
                .put("service", service)
                .put("kind", kind)
                .put("part", part)
                .put("parts", parts)
                .put("records", orders.size())
                .put("doneAt", Instant.now().toString());
        done.putArray("orderIds")
                .addAll(orders.stream().map(JSON.getNodeFactory()::textNode).toList());
        if (data == null) {
            done.putNull("data");
        } else {
            done.putArray("data").addAll(data);
        }
        ContractCheck.assertValid("PrivacyRequestDone", done.toString());
        TopicProbe.send(
                "PrivacyRequestDone",
                requestId,
                done.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "PrivacyRequestDone"));
    }

    private io.restassured.response.ValidatableResponse view(String token, String requestId) {
        return given().auth()
                .oauth2(token)
                .get("/api/privacy-requests/" + requestId)
                .then();
    }

    private static long bodiesWith(String text) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s = c.prepareStatement(
                        "select count(*) from webhook_delivery where strpos(cast(body as text), ?) > 0")) {
            s.setString(1, text);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void customersRedactEmptiesTheGatewaysCopyAtOnceAndCompletesWhenEveryServiceHasAnswered() throws Exception {
        WebhookCalls.connect(retailer, "SHOPIFY", shop);
        String mine = paidOrder(email);
        String other = paidOrder("grace-" + run + "@example.com");

        String requestId = privacyWebhook("customers/redact", customerBody("orders_to_redact", mine));

        JsonNode event = requested(requestId);
        assertEquals("REDACT_CUSTOMER", event.get("kind").asText());
        assertEquals(email, event.get("customerEmail").asText());
        assertEquals(mine, event.get("storeOrderIds").get(0).asText());
        assertEquals(retailer, event.get("retailerId").asText());
        assertEquals(0, bodiesWith(email), "the order's webhook bodies and the request's own body are emptied");
        assertEquals(1, bodiesWith("grace-" + run), "another customer's order is kept");

        view(TestTokens.retailer(retailer), requestId)
                .statusCode(200)
                .body("status", equalTo("IN_PROGRESS"))
                .body("kind", equalTo("REDACT_CUSTOMER"))
                .body("source", equalTo("SHOPIFY"))
                .body("services[0].service", equalTo("integration-gateway"))
                .body("services[0].records", equalTo(2));
        String orderId = UUID.randomUUID().toString();
        answer(requestId, "order-service", "REDACT_CUSTOMER", 1, 1, List.of(orderId), null);
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> view(TestTokens.retailer(retailer), requestId)
                        .body("services", hasSize(2))
                        .body("status", equalTo("IN_PROGRESS")));
        answer(requestId, "fulfillment-service", "REDACT_CUSTOMER", 1, 1, List.of(orderId), null);
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> view(TestTokens.retailer(retailer), requestId)
                        .body("status", equalTo("COMPLETED"))
                        .body("completedAt", notNullValue())
                        .body("customerEmail", equalTo("a***@example.com"))
                        .body("export", nullValue()));
        // The same answer again (a redelivery) changes nothing.
        answer(requestId, "fulfillment-service", "REDACT_CUSTOMER", 1, 1, List.of(orderId), null);
        view(TestTokens.admin(), requestId).statusCode(200).body("status", equalTo("COMPLETED"));
    }

    @Test
    void aDataRequestIsCollectedFromEveryServiceForTheRetailerAloneAndDeletedAfterItsRetention() throws Exception {
        WebhookCalls.connect(retailer, "SHOPIFY", shop);
        String mine = paidOrder(email);
        ObjectNode body = customerBody("orders_requested", mine);
        body.putObject("data_request").put("id", 9999);

        String requestId = privacyWebhook("customers/data_request", body);

        assertEquals("EXPORT_CUSTOMER", requested(requestId).get("kind").asText());
        assertEquals(2, bodiesWith(email), "an export erases nothing: the order's body and the request's own are kept");
        view(TestTokens.retailer(retailer), requestId)
                .body("export", nullValue())
                .body("shopifyRequestId", equalTo("9999"));
        String orderId = UUID.randomUUID().toString();
        answer(
                requestId,
                "order-service",
                "EXPORT_CUSTOMER",
                1,
                1,
                List.of(orderId),
                List.of(JSON.createObjectNode().put("orderId", orderId).put("customerEmail", email)));
        answer(
                requestId,
                "fulfillment-service",
                "EXPORT_CUSTOMER",
                1,
                1,
                List.of(orderId),
                List.of(JSON.createObjectNode().put("orderId", orderId).put("trackingNumber", "1ZEXPORT")));

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> view(TestTokens.retailer(retailer), requestId)
                        .body("status", equalTo("COMPLETED"))
                        .body("customerEmail", equalTo(email))
                        .body("export.'order-service'[0].customerEmail", equalTo(email))
                        .body("export.'fulfillment-service'[0].trackingNumber", equalTo("1ZEXPORT"))
                        .body("export.'integration-gateway'[0].storeOrderId", equalTo(mine))
                        .body("export.'integration-gateway'[0].body.shipping_address.name", equalTo("Ada Lovelace")));
        view(TestTokens.retailer("ret-other-" + run), requestId).statusCode(404);
        view(TestTokens.support(), requestId).statusCode(403);
        view(TestTokens.admin(), requestId).statusCode(200).body("export", notNullValue());

        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s =
                        c.prepareStatement("update privacy_request set completed_at = now() - interval '31 days'"
                                + " where id = cast(? as uuid)")) {
            s.setString(1, requestId);
            assertEquals(1, s.executeUpdate());
        }
        retention.purge().await().atMost(Duration.ofSeconds(30));
        view(TestTokens.retailer(retailer), requestId)
                .body("export", nullValue())
                .body("exportDeletedAt", notNullValue())
                .body("customerEmail", nullValue());
    }

    @Test
    void shopRedactEmptiesEveryBodyOfTheStoreAndDropsItsAdminCredential() throws Exception {
        String storeId = WebhookCalls.connect(retailer, "SHOPIFY", shop);
        paidOrder(email);
        paidOrder("grace-" + run + "@example.com");
        shopify(shop, "app/uninstalled", UUID.randomUUID().toString(), "{\"id\": 1}")
                .statusCode(200);

        String requestId = privacyWebhook(
                "shop/redact", JSON.createObjectNode().put("shop_id", 954889).put("shop_domain", shop));

        JsonNode event = requested(requestId);
        assertEquals("REDACT_STORE", event.get("kind").asText());
        assertEquals(storeId, event.get("storeId").asText());
        assertEquals(0, event.get("storeOrderIds").size());
        assertEquals(0, bodiesWith(email));
        assertEquals(0, bodiesWith("grace-" + run));
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                PreparedStatement s =
                        c.prepareStatement("select status, api_token from store_connection where id = ?")) {
            s.setString(1, storeId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                assertEquals("REDACTED", rs.getString(1));
                assertEquals("", secrets.box().open(rs.getBytes(2)), "the store's access token is gone");
            }
        }
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/stores")
                .then()
                .body("items.find { it.storeId == '" + storeId + "' }.status", equalTo("REDACTED"));
    }

    @Test
    void aRetailerAsksForItsCustomStoresCustomerThroughTheApiAndNeverForAnotherRetailersStore() throws Exception {
        String token = TestTokens.retailer(retailer);
        String location = given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"kind\":\"EXPORT_CUSTOMER\",\"customerEmail\":\"" + email + "\",\"storeOrderIds\":[\"A-1\"]}")
                .post("/api/privacy-requests")
                .then()
                .statusCode(202)
                .header("Location", containsString("/api/privacy-requests/"))
                .body("storeId", equalTo("custom-" + retailer))
                .body("source", equalTo("API"))
                .body("status", equalTo("IN_PROGRESS"))
                .extract()
                .header("Location");
        String requestId = location.substring(location.lastIndexOf('/') + 1);
        JsonNode event = requested(requestId);
        assertEquals("custom-" + retailer, event.get("storeId").asText());
        assertEquals("A-1", event.get("storeOrderIds").get(0).asText());
        given().auth()
                .oauth2(token)
                .get("/api/privacy-requests")
                .then()
                .statusCode(200)
                .body("items[0].requestId", equalTo(requestId));

        String strangersStore =
                WebhookCalls.connect("ret-other-" + run, "SHOPIFY", "stranger-" + run + ".myshopify.com");
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"kind\":\"REDACT_CUSTOMER\",\"storeId\":\"" + strangersStore + "\",\"customerEmail\":\""
                        + email + "\"}")
                .post("/api/privacy-requests")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"kind\":\"REDACT_CUSTOMER\"}")
                .post("/api/privacy-requests")
                .then()
                .statusCode(400)
                .body("detail", containsString("customerEmail"));
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"kind\":\"REDACT_STORE\",\"customerEmail\":\"" + email + "\"}")
                .post("/api/privacy-requests")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"kind\":\"REDACT_CUSTOMER\",\"customerEmail\":\"not-an-email\"}")
                .post("/api/privacy-requests")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + run))
                .get("/api/privacy-requests")
                .then()
                .statusCode(200)
                .body("items.findAll { it.requestId == '" + requestId + "' }", hasSize(0));
        assertEquals(1, Outboxes.published("PrivacyRequested", requestId), "refused requests publish nothing");
    }
}
