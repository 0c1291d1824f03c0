package io.dropship.fakestores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fakes refuse what the real stores refuse, so the clients tested against them are held to the real wire format. */
class FakeStoresTests {

    private static FakeStores fakes;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        fakes = FakeStores.start(0);
    }

    @AfterAll
    static void stop() {
        fakes.close();
    }

    private static HttpResponse<String> post(String url, Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String shopifyUrl(String shop) {
        return fakes.shopifyAdminUrlTemplate().replace("{shop}", shop) + "/admin/api/2025-10/graphql.json";
    }

    @Test
    void shopifyChecksTokenVersionAndFulfillmentOrderLines() throws Exception {
        Map<Long, Integer> lines = new LinkedHashMap<>();
        lines.put(11L, 2);
        lines.put(12L, 1);
        fakes.shopify("a.myshopify.com", "shpat_a").addOrder(1001L, lines);
        String query =
                "{\"query\":\"query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 10) { nodes { id } } } }\","
                        + "\"variables\":{\"id\":\"gid://shopify/Order/1001\"}}";

        assertEquals(
                401,
                post(
                                shopifyUrl("a.myshopify.com"),
                                Map.of("X-Shopify-Access-Token", "wrong", "Content-Type", "application/json"),
                                query)
                        .statusCode());
        assertEquals(
                404,
                HTTP.send(
                                HttpRequest.newBuilder(URI.create(
                                                shopifyUrl("a.myshopify.com").replace("2025-10", "v1")))
                                        .header("X-Shopify-Access-Token", "shpat_a")
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(query))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());

        HttpResponse<String> found = post(
                shopifyUrl("a.myshopify.com"),
                Map.of("X-Shopify-Access-Token", "shpat_a", "Content-Type", "application/json"),
                query);
        JsonNode fo = FakeStores.read(found.body()).at("/data/order/fulfillmentOrders/nodes/0");
        JsonNode line = fo.at("/lineItems/nodes/0");
        assertEquals("gid://shopify/LineItem/11", line.at("/lineItem/id").asText());
        assertEquals(2, line.get("remainingQuantity").asInt());

        String tooMany =
                "{\"query\":\"mutation fulfillmentCreate($fulfillment: FulfillmentInput!) { fulfillmentCreate(fulfillment: $fulfillment) { fulfillment { id } userErrors { field message } } }\","
                        + "\"variables\":{\"fulfillment\":{\"lineItemsByFulfillmentOrder\":[{\"fulfillmentOrderId\":\""
                        + fo.get("id").asText()
                        + "\",\"fulfillmentOrderLineItems\":[{\"id\":\""
                        + line.get("id").asText() + "\",\"quantity\":3}]}],"
                        + "\"trackingInfo\":{\"company\":\"UPS\",\"number\":\"1Z\",\"url\":\"https://ups.example/1Z\"}}}}";
        JsonNode refused = FakeStores.read(post(
                        shopifyUrl("a.myshopify.com"),
                        Map.of("X-Shopify-Access-Token", "shpat_a", "Content-Type", "application/json"),
                        tooMany)
                .body());
        assertTrue(refused.at("/data/fulfillmentCreate/userErrors/0/message")
                .asText()
                .contains("quantity"));

        JsonNode created = FakeStores.read(post(
                        shopifyUrl("a.myshopify.com"),
                        Map.of("X-Shopify-Access-Token", "shpat_a", "Content-Type", "application/json"),
                        tooMany.replace("\"quantity\":3", "\"quantity\":2"))
                .body());
        assertEquals(0, created.at("/data/fulfillmentCreate/userErrors").size());
        assertEquals(1, fakes.shopify("a.myshopify.com").fulfillments(1001L).size());
        assertEquals(
                "UPS",
                fakes.shopify("a.myshopify.com").fulfillments(1001L).get(0).company());
    }

    @Test
    void shopifyTakesEachQuerysCostFromABucketAndThrottlesWhatItCannotPay() throws Exception {
        FakeShopify shop = fakes.shopify("bucket.myshopify.com", "shpat_b").budget(25, 1);
        String query =
                "{\"query\":\"query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 10) { nodes { id } } } }\","
                        + "\"variables\":{\"id\":\"gid://shopify/Order/1\"}}";
        Map<String, String> headers = Map.of("X-Shopify-Access-Token", "shpat_b", "Content-Type", "application/json");
        // 7 points a query from a bucket of 25: three are answered, each reporting what is left; the fourth is not.
        for (int left : new int[] {18, 11, 4}) {
            JsonNode answer = FakeStores.read(
                    post(shopifyUrl("bucket.myshopify.com"), headers, query).body());
            assertEquals(7, answer.at("/extensions/cost/requestedQueryCost").asInt());
            assertEquals(
                    left,
                    answer.at("/extensions/cost/throttleStatus/currentlyAvailable")
                            .asInt());
            assertEquals(
                    25,
                    answer.at("/extensions/cost/throttleStatus/maximumAvailable")
                            .asInt());
            assertEquals(
                    1, answer.at("/extensions/cost/throttleStatus/restoreRate").asInt());
        }
        JsonNode throttled = FakeStores.read(
                post(shopifyUrl("bucket.myshopify.com"), headers, query).body());
        assertEquals("THROTTLED", throttled.at("/errors/0/extensions/code").asText());
        assertTrue(throttled.path("data").isMissingNode());
        assertEquals(
                4,
                throttled
                        .at("/extensions/cost/throttleStatus/currentlyAvailable")
                        .asInt());
        assertEquals(Map.of("graphql", 4, "throttled", 1), shop.calls());
    }

    @Test
    void wooCommerceChecksBasicAuthAndNoteShape() throws Exception {
        FakeWooCommerce woo = fakes.woo("b", "ck_b", "cs_b").addOrder(77L, "processing", Map.of(1L, 1));
        String notes = fakes.wooSiteUrl("b") + "/wp-json/wc/v3/orders/77/notes";
        String auth = "Basic " + Base64.getEncoder().encodeToString("ck_b:cs_b".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> unauthorized = post(notes, Map.of("Content-Type", "application/json"), "{\"note\":\"x\"}");
        assertEquals(401, unauthorized.statusCode());
        assertEquals(
                "woocommerce_rest_authentication_error",
                FakeStores.read(unauthorized.body()).get("code").asText());
        assertEquals(
                400,
                post(notes, Map.of("Authorization", auth, "Content-Type", "application/json"), "{}")
                        .statusCode());
        assertEquals(
                404,
                post(notes.replace("/77/", "/78/"), Map.of("Authorization", auth), "{\"note\":\"x\"}")
                        .statusCode());

        woo.failNext(429, 2);
        HttpResponse<String> limited = post(notes, Map.of("Authorization", auth), "{\"note\":\"x\"}");
        assertEquals(429, limited.statusCode());
        assertEquals("2", limited.headers().firstValue("Retry-After").orElseThrow());

        assertEquals(
                201,
                post(notes, Map.of("Authorization", auth), "{\"note\":\"Shipped\",\"customer_note\":true}")
                        .statusCode());
        assertEquals(1, woo.notes(77L).size());
        assertTrue(woo.notes(77L).get(0).customerNote());
        assertEquals(5, fakes.calls("/woo/b/").size());
    }
}
