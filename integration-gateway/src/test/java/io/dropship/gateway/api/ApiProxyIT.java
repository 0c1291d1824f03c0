package io.dropship.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.gateway.accounts.MailTestResource;
import io.dropship.gateway.accounts.SignUps;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The one API: what the gateway forwards to the service owning a path, and what it answers itself. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(MailTestResource.class)
@QuarkusTestResource(UpstreamRecorder.class)
class ApiProxyIT {

    @BeforeEach
    void forget() {
        UpstreamRecorder.RECEIVED.clear();
    }

    private UpstreamRecorder.Received only() {
        assertEquals(1, UpstreamRecorder.RECEIVED.size(), "one forwarded request: " + UpstreamRecorder.RECEIVED);
        return UpstreamRecorder.RECEIVED.peek();
    }

    @Test
    void aCallToAnotherServicesPathIsForwardedAsItCameWithTheRequestIdAndTheCallersAddress() {
        String token = TestTokens.supplier("sup-proxy");
        given().auth()
                .oauth2(token)
                .header("X-Request-Id", "req-proxy-1")
                .get("/api/catalog/products?q=lamp&limit=5")
                .then()
                .statusCode(200)
                .header("X-Request-Id", "req-proxy-1")
                .header("ETag", "\"v1\"")
                .body("method", equalTo("GET"))
                .body("uri", equalTo("/api/catalog/products?q=lamp&limit=5"));
        UpstreamRecorder.Received got = only();
        assertEquals("Bearer " + token, got.headers().get("Authorization"));
        assertEquals("req-proxy-1", got.headers().get("X-Request-Id"));
        assertEquals("127.0.0.1", got.headers().get("X-Forwarded-For"));
        assertEquals("http", got.headers().get("X-Forwarded-Proto"));

        // A caller's X-Forwarded-For is not believed (no trusted balancer in front): the service sees the real address.
        forget();
        given().header("X-Forwarded-For", "6.6.6.6")
                .get("/api/suppliers/sup-x")
                .then()
                .statusCode(200)
                .header("X-Request-Id", notNullValue());
        UpstreamRecorder.Received anonymous = only();
        assertEquals("127.0.0.1", anonymous.headers().get("X-Forwarded-For"));
        assertEquals(36, anonymous.headers().get("X-Request-Id").length(), "a request id is made when none is given");
    }

    @Test
    void aForwardedAnswerCarriesTheGatewaysCorsHeadersForABrowser() {
        given().header("Origin", "http://localhost:5173")
                .get("/api/catalog/products")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:5173")
                .header("Access-Control-Expose-Headers", org.hamcrest.Matchers.containsString("ETag"));
    }

    @Test
    void aBodyIsStreamedToTheServiceWholeAndItsAnswerComesBackWhole() {
        String big = "{\"rows\":\"" + "x".repeat(300_000) + "\"}";
        given().auth()
                .oauth2(TestTokens.supplier("sup-proxy"))
                .contentType(ContentType.JSON)
                .body(big)
                .put("/api/supplier/products/SKU-1")
                .then()
                .statusCode(200)
                .body("bytes", equalTo(big.length()));
        assertEquals(big, only().body());
        forget();
        given().get("/api/orders/missing").then().statusCode(404);
        assertEquals("/api/orders/missing", only().uri());
    }

    @Test
    void aStreamedUploadOverHttp2ReachesTheServiceWhole() throws Exception {
        // Java's HttpClient upgrades a plain connection to HTTP/2 on its first request, and then streams a body of
        // unknown length in frames, without Content-Length: as the import bench uploads a supplier's CSV.
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        String base = "http://localhost:" + io.restassured.RestAssured.port;
        java.net.http.HttpResponse<String> first = client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/orders/missing"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, first.version(), "the connection is HTTP/2 now");
        forget();
        String csv = "sku,title\n" + "SKU-1,Lamp\n".repeat(50_000);
        java.net.http.HttpResponse<String> upload = client.send(
                java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(base + "/api/supplier/imports?fileName=bench.csv"))
                        .header("Authorization", "Bearer " + TestTokens.supplier("sup-proxy"))
                        .header("Content-Type", "text/csv")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                                () -> new java.io.ByteArrayInputStream(
                                        csv.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, upload.version());
        assertEquals(200, upload.statusCode(), upload.body());
        assertEquals(csv, only().body());
    }

    @Test
    void anImportMayTakeLongerThanAnyOtherCallToBeAnswered() {
        // The service answers an import when the whole file is in: minutes for a million rows.
        given().auth()
                .oauth2(TestTokens.supplier("sup-proxy"))
                .contentType("text/csv")
                .body("sku,title\nSKU-1,Lamp\n")
                .post("/api/supplier/imports?fileName=a.csv&slowMs=4500")
                .then()
                .statusCode(200)
                .body("bytes", equalTo(21));
        // Any other call that long is a service that does not answer (the timeout here is 3 s).
        given().auth()
                .oauth2(TestTokens.supplier("sup-proxy"))
                .contentType(ContentType.JSON)
                .body("{}")
                .put("/api/supplier/products/SKU-1?slowMs=4500")
                .then()
                .statusCode(503)
                .body("detail", equalTo("catalog-service did not answer; try again"));
    }

    @Test
    void eachPathHasOneOwner() {
        // POST /api/orders takes a custom store's order in at the gateway; GET /api/orders is order-service's list.
        given().contentType(ContentType.JSON)
                .body("{}")
                .post("/api/orders")
                .then()
                .statusCode(401);
        assertTrue(UpstreamRecorder.RECEIVED.isEmpty());
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/orders?limit=2")
                .then()
                .statusCode(200);
        assertEquals("/api/orders?limit=2", only().uri());
        forget();
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/retailers/ret-1/credit-terms")
                .then()
                .statusCode(200);
        assertEquals("/api/retailers/ret-1/credit-terms", only().uri());
        forget();
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/retailers/ret-1")
                .then()
                .statusCode(404);
        assertTrue(UpstreamRecorder.RECEIVED.isEmpty(), "a retailer's record is the gateway's own");
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/nothing-here")
                .then()
                .statusCode(404);
        assertTrue(UpstreamRecorder.RECEIVED.isEmpty());
    }

    @Test
    void everyServicesDeadLettersHaveAPathOfTheirOwn() {
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/admin/services/order-service/dead-letters?limit=5")
                .then()
                .statusCode(200);
        assertEquals("/api/admin/dead-letters?limit=5", only().uri());
        forget();
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/admin/services/integration-gateway/dead-letters/summary")
                .then()
                .statusCode(200);
        assertTrue(UpstreamRecorder.RECEIVED.isEmpty(), "the gateway's own are answered by the gateway");
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/admin/services/no-such-service/dead-letters")
                .then()
                .statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void aServiceThatDoesNotAnswerIsA503ProblemWithRetryAfter() {
        given().auth()
                .oauth2(TestTokens.supplier("sup-proxy"))
                .header("X-Request-Id", "req-down")
                .get("/api/supplier/stock")
                .then()
                .statusCode(503)
                .contentType("application/problem+json")
                .header("Retry-After", "2")
                .header("X-Request-Id", "req-down")
                .body("detail", equalTo("inventory-service did not answer; try again"));
    }

    @Test
    void aSuspendedRetailersTokenIsRefusedBeforeAnythingIsForwarded() throws Exception {
        String email = "proxy-" + UUID.randomUUID().toString().substring(0, 8) + "@shop.example";
        String access = SignUps.retailer(email).getString("accessToken");
        given().auth().oauth2(access).get("/api/billing/statement").then().statusCode(200);
        assertEquals(1, UpstreamRecorder.RECEIVED.size());
        String retailerId = given().auth()
                .oauth2(access)
                .get("/api/auth/me")
                .then()
                .extract()
                .path("retailerId");
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"chargebacks\"}")
                .post("/api/retailers/" + retailerId + "/suspend")
                .then()
                .statusCode(200);
        forget();
        given().auth()
                .oauth2(access)
                .get("/api/billing/statement")
                .then()
                .statusCode(403)
                .contentType("application/problem+json")
                .body("detail", equalTo("the retailer is suspended: chargebacks"));
        assertTrue(UpstreamRecorder.RECEIVED.isEmpty());
        // A token that does not verify is the service's to refuse (401), so the gateway forwards it.
        given().auth()
                .oauth2("not.a.token")
                .get("/api/billing/statement")
                .then()
                .statusCode(200);
        assertEquals("Bearer not.a.token", only().headers().get("Authorization"));
    }
}
