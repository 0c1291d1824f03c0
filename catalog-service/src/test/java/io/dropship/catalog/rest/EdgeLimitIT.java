package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The public edge's limits: what one caller may send, however it sends it. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class EdgeLimitIT {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aRetailerPastItsRateIsAnswered429WithRetryAfterWhileAnotherRetailerIsServed() throws Exception {
        String token = TestTokens.retailer("ret-" + UUID.randomUUID());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/listings/pricing-rule"))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<HttpResponse<String>>> answers = new ArrayList<>();
        // The test profile allows a burst of 200 and 20 a second after it: 400 at once cannot all pass.
        for (int i = 0; i < 400; i++) {
            answers.add(pool.submit(() -> http.send(request, HttpResponse.BodyHandlers.ofString())));
        }
        int ok = 0;
        HttpResponse<String> refused = null;
        for (Future<HttpResponse<String>> a : answers) {
            HttpResponse<String> r = a.get();
            if (r.statusCode() == 200) {
                ok++;
            } else if (r.statusCode() == 429) {
                refused = r;
            }
        }
        pool.shutdown();
        assertTrue(ok >= 200, "the burst is served: " + ok);
        assertTrue(refused != null, "400 calls at once pass a burst of 200");
        assertTrue(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()) >= 1);
        assertEquals(
                "application/problem+json",
                refused.headers().firstValue("Content-Type").orElseThrow());
        given().auth()
                .oauth2(TestTokens.retailer("ret-" + UUID.randomUUID()))
                .get("/api/listings/pricing-rule")
                .then()
                .statusCode(200);
    }

    @Test
    void aBodyWithNoDeclaredLengthIsCountedAgainstTheSameLimitAsADeclaredOne() throws Exception {
        String token = TestTokens.retailer("ret-" + UUID.randomUUID());
        byte[] big = new byte[3 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        big[0] = '{';
        big[big.length - 1] = '}';
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/listings/pricing-rule"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)))
                .build();
        // Nothing was taken: the rule is still the default one.
        String before = given().auth()
                .oauth2(token)
                .get("/api/listings/pricing-rule")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (HttpClient.Version version : HttpClient.Version.values()) {
            try {
                HttpResponse<String> r = HttpClient.newBuilder()
                        .version(version)
                        .build()
                        .send(request, HttpResponse.BodyHandlers.ofString());
                assertEquals(413, r.statusCode(), version + ": " + r.body());
            } catch (java.io.IOException closed) {
                // The server may close the connection (HTTP/2: GOAWAY) before the client has sent the rest: refused
                // too.
            }
        }
        assertEquals(
                before,
                given().auth()
                        .oauth2(token)
                        .get("/api/listings/pricing-rule")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
    }

    @Test
    void listsComeAPageAtATimeFollowingTheLastIdAndAPageCannotBeAskedTooLarge() {
        java.util.Set<String> mine = new java.util.HashSet<>();
        for (int i = 0; i < 3; i++) {
            mine.add(SupplierOnboardingIT.register("paging-" + UUID.randomUUID() + "@supplier.test"));
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().auth().oauth2(TestTokens.admin()).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/suppliers")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            List<String> ids = page.getList("items.supplierId");
            assertTrue(ids.size() <= 2);
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("cursor", "%%not-a-cursor%%")
                .get("/api/suppliers")
                .then()
                .statusCode(400)
                .body("type", org.hamcrest.Matchers.equalTo("urn:dropship:problem:cursor-not-valid"));
        assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no supplier twice across pages");
        assertTrue(seen.containsAll(mine), "every supplier on some page");
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("limit", 501)
                .get("/api/suppliers")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer("ret-" + UUID.randomUUID()))
                .queryParam("limit", 501)
                .get("/api/listings")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer("ret-" + UUID.randomUUID()))
                .queryParam("limit", 10)
                .get("/api/listings")
                .then()
                .statusCode(200);
    }
}
