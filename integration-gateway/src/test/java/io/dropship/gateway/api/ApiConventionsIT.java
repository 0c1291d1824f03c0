package io.dropship.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.gateway.accounts.MailTestResource;
import io.dropship.gateway.accounts.SignUps;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The conventions every path of the one API keeps (README, "The API, for the frontend team"). */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(MailTestResource.class)
class ApiConventionsIT {

    @Test
    void aPolledReadAnswers304WhileItIsUnchangedAndItsNewTagOnceItChanged() {
        String token =
                TestTokens.retailer("ret-etag-" + UUID.randomUUID().toString().substring(0, 8));
        String tag = given().auth()
                .oauth2(token)
                .get("/api/stores")
                .then()
                .statusCode(200)
                .header("ETag", notNullValue())
                .extract()
                .header("ETag");
        given().auth()
                .oauth2(token)
                .header("If-None-Match", tag)
                .get("/api/stores")
                .then()
                .statusCode(304)
                .body(emptyString());
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"platform\":\"SHOPIFY\",\"shopDomain\":\"etag-"
                        + UUID.randomUUID().toString().substring(0, 8)
                        + ".myshopify.com\",\"webhookSecret\":\"secret-secret\",\"apiToken\":\"shpat_x\"}")
                .post("/api/stores")
                .then()
                .statusCode(201);
        String changed = given().auth()
                .oauth2(token)
                .header("If-None-Match", tag)
                .get("/api/stores")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(1))
                .extract()
                .header("ETag");
        assertNotEquals(tag, changed);
    }

    @Test
    void everyErrorIsAProblemWithAStableType() {
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/retailers/ret-nobody-" + UUID.randomUUID())
                .then()
                .statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:dropship:problem:not-found"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/retailers/ret-x/suspend")
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:dropship:problem:validation-failed"))
                .body("errors", notNullValue());
        given().get("/api/stores").then().statusCode(401).body("type", equalTo("urn:dropship:problem:unauthenticated"));
        given().auth()
                .oauth2(TestTokens.supplier("sup-x"))
                .get("/api/stores")
                .then()
                .statusCode(403)
                .body("type", equalTo("urn:dropship:problem:forbidden"));
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("cursor", "%%%")
                .get("/api/retailers")
                .then()
                .statusCode(400)
                .body("type", equalTo("urn:dropship:problem:cursor-not-valid"));
    }

    @Test
    void listsComeAsPagesOfItemsWithTheCursorOfTheNext() throws Exception {
        for (int i = 0; i < 3; i++) {
            SignUps.retailer("page-" + UUID.randomUUID().toString().substring(0, 8) + "@shop.example");
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = given().auth().oauth2(TestTokens.admin()).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            var page = request.get("/api/retailers")
                    .then()
                    .statusCode(200)
                    .body("$", hasKey("nextCursor"))
                    .extract()
                    .jsonPath();
            List<String> ids = page.getList("items.retailerId");
            assertTrue(ids.size() <= 2);
            seen.addAll(ids);
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertTrue(pages >= 2, "three retailers at two a page");
        assertEquals(seen.size(), new HashSet<>(seen).size(), "no retailer twice: " + seen);
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("limit", 201)
                .get("/api/retailers")
                .then()
                .statusCode(400);
    }

    @Test
    void browsersMayCallFromTheConfiguredOriginsOnly() {
        given().header("Origin", "http://localhost:3000")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
                .options("/api/orders")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Allow-Headers", containsString("Idempotency-Key"));
        given().auth()
                .oauth2(TestTokens.retailer("ret-cors"))
                .header("Origin", "http://localhost:3000")
                .get("/api/stores")
                .then()
                .statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:3000")
                .header("Access-Control-Expose-Headers", containsString("ETag"));
        given().header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/orders")
                .then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
