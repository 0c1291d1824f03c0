package io.dropship.catalog.rest;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class SupplierOnboardingTests {

    static String register(String email) {
        return given().contentType(ContentType.JSON)
                .body("{\"companyName\":\"Acme Mugs\",\"contactEmail\":\"" + email + "\","
                        + "\"businessType\":\"MANUFACTURER\",\"shipFromRegion\":\"US-CA\"}")
                .post("/api/suppliers")
                .then().statusCode(201).body("status", equalTo("PENDING"))
                .extract().path("supplierId");
    }

    static void setStatus(String supplierId, String status, String reason) {
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON)
                .body("{\"status\":\"" + status + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}")
                .post("/api/suppliers/" + supplierId + "/status").then().statusCode(200).body("status", equalTo(status));
    }

    static String activeSupplier() {
        String id = register(UUID.randomUUID() + "@acme.test");
        setStatus(id, "ACTIVE", null);
        return id;
    }

    @Test
    void aRegisteredSupplierWaitsForAnAdminToApproveIt() {
        String id = register(UUID.randomUUID() + "@acme.test");
        given().auth().oauth2(TestTokens.admin()).get("/api/suppliers?status=PENDING")
                .then().statusCode(200).body("supplierId", hasItem(id));

        setStatus(id, "ACTIVE", null);
        setStatus(id, "SUSPENDED", "late shipments");

        given().auth().oauth2(TestTokens.support()).get("/api/suppliers/" + id)
                .then().statusCode(200).body("status", equalTo("SUSPENDED")).body("statusReason", equalTo("late shipments"));
    }

    @Test
    void aSecondRegistrationWithTheSameContactIsAConflict() {
        String email = UUID.randomUUID() + "@acme.test";
        register(email);
        given().contentType(ContentType.JSON)
                .body("{\"companyName\":\"Acme again\",\"contactEmail\":\"" + email.toUpperCase() + "\","
                        + "\"businessType\":\"WHOLESALER\",\"shipFromRegion\":\"US\"}")
                .post("/api/suppliers").then().statusCode(409).contentType(startsWith("application/problem+json"));
    }

    @Test
    void anInvalidRegistrationNamesEachBadField() {
        given().contentType(ContentType.JSON)
                .body("{\"companyName\":\"\",\"contactEmail\":\"not-an-email\",\"businessType\":\"MANUFACTURER\",\"shipFromRegion\":\"california\"}")
                .post("/api/suppliers").then().statusCode(400)
                .body("errors.field", hasItem("companyName"))
                .body("errors.field", hasItem("contactEmail"))
                .body("errors.field", hasItem("shipFromRegion"));
        given().contentType(ContentType.JSON).body("{\"businessType\":\"PIRATE\"}")
                .post("/api/suppliers").then().statusCode(400).contentType(startsWith("application/problem+json"));
    }

    @Test
    void suspendingNeedsAReason() {
        String id = activeSupplier();
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"status\":\"SUSPENDED\"}")
                .post("/api/suppliers/" + id + "/status").then().statusCode(400);
    }

    @Test
    void aSupplierSeesItselfButNoOtherSupplier() {
        String mine = activeSupplier();
        String theirs = activeSupplier();
        given().auth().oauth2(TestTokens.supplier(mine)).get("/api/suppliers/" + mine).then().statusCode(200);
        given().auth().oauth2(TestTokens.supplier(mine)).get("/api/suppliers/" + theirs).then().statusCode(404);
        given().auth().oauth2(TestTokens.supplier(mine)).get("/api/suppliers").then().statusCode(403);
        given().auth().oauth2(TestTokens.retailer("ret-1")).get("/api/suppliers/" + mine).then().statusCode(403);
        given().auth().oauth2(TestTokens.supplier(mine)).contentType(ContentType.JSON).body("{\"status\":\"ACTIVE\"}")
                .post("/api/suppliers/" + theirs + "/status").then().statusCode(403);
    }

    @Test
    void anApiKeyIsShownOnceAndExchangedForAShortLivedSupplierToken() {
        String id = activeSupplier();
        String apiKey = given().auth().oauth2(TestTokens.supplier(id)).contentType(ContentType.JSON)
                .body("{\"label\":\"warehouse sync\"}")
                .post("/api/suppliers/" + id + "/api-keys")
                .then().statusCode(201).body("apiKey", startsWith("dsk_"))
                .extract().path("apiKey");

        given().auth().oauth2(TestTokens.supplier(id)).get("/api/suppliers/" + id + "/api-keys")
                .then().statusCode(200)
                .body("label", hasItem("warehouse sync"))
                .body("[0].apiKey", nullValue())
                .body("[0].secretHash", nullValue());

        String token = given().header("X-Api-Key", apiKey).post("/api/auth/supplier-token")
                .then().statusCode(200).body("tokenType", equalTo("Bearer")).body("expiresIn", equalTo(900))
                .extract().path("accessToken");
        given().auth().oauth2(token).get("/api/suppliers/" + id).then().statusCode(200).body("supplierId", equalTo(id));
        given().auth().oauth2(TestTokens.supplier(id)).get("/api/suppliers/" + id + "/api-keys")
                .then().body("[0].lastUsedAt", not(nullValue()));
    }

    @Test
    void aWrongMalformedOrRevokedKeyGetsTheSame401() {
        String id = activeSupplier();
        String apiKey = given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{}")
                .post("/api/suppliers/" + id + "/api-keys").then().statusCode(201).extract().path("apiKey");
        String keyId = apiKey.substring(4, 20);
        String tampered = apiKey.substring(0, apiKey.length() - 2) + (apiKey.endsWith("AA") ? "BB" : "AA");

        given().header("X-Api-Key", tampered).post("/api/auth/supplier-token").then().statusCode(401)
                .contentType(startsWith("application/problem+json")).body("detail", equalTo("the API key is not valid"));
        given().header("X-Api-Key", "hunter2").post("/api/auth/supplier-token").then().statusCode(401)
                .body("detail", equalTo("the API key is not valid"));
        given().post("/api/auth/supplier-token").then().statusCode(401);

        given().auth().oauth2(TestTokens.supplier(id)).delete("/api/suppliers/" + id + "/api-keys/" + keyId)
                .then().statusCode(204);
        given().header("X-Api-Key", apiKey).post("/api/auth/supplier-token").then().statusCode(401)
                .body("detail", equalTo("the API key is not valid"));
    }

    @Test
    void aSuspendedSupplierCannotExchangeItsKeyAndAPendingOneGetsNone() {
        String id = activeSupplier();
        String apiKey = given().auth().oauth2(TestTokens.supplier(id)).contentType(ContentType.JSON).body("{}")
                .post("/api/suppliers/" + id + "/api-keys").then().statusCode(201).extract().path("apiKey");
        setStatus(id, "SUSPENDED", "fraud review");
        given().header("X-Api-Key", apiKey).post("/api/auth/supplier-token").then().statusCode(403);

        String pending = register(UUID.randomUUID() + "@acme.test");
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{}")
                .post("/api/suppliers/" + pending + "/api-keys").then().statusCode(409);
    }

    @Test
    void aSupplierCannotMakeKeysForAnother() {
        String mine = activeSupplier();
        String theirs = activeSupplier();
        given().auth().oauth2(TestTokens.supplier(mine)).contentType(ContentType.JSON).body("{}")
                .post("/api/suppliers/" + theirs + "/api-keys").then().statusCode(404);
    }
}
