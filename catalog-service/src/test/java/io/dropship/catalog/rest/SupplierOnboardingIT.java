package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
public class SupplierOnboardingIT {

    public static String register(String email) {
        return given().contentType(ContentType.JSON)
                .body("{\"companyName\":\"Acme Mugs\",\"contactEmail\":\"" + email + "\","
                        + "\"businessType\":\"MANUFACTURER\",\"shipFromRegion\":\"US-CA\"}")
                .post("/api/suppliers")
                .then()
                .statusCode(201)
                .body("status", equalTo("PENDING"))
                .extract()
                .path("supplierId");
    }

    static void setStatus(String supplierId, String status, String reason) {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"status\":\"" + status + "\"" + (reason == null ? "" : ",\"reason\":\"" + reason + "\"") + "}")
                .post("/api/suppliers/" + supplierId + "/status")
                .then()
                .statusCode(200)
                .body("status", equalTo(status));
    }

    static final String[] STEPS = {"BUSINESS_REGISTRATION", "TAX_ID", "PAYOUT_ACCOUNT", "PRODUCT_SAMPLE"};

    static void check(String supplierId, String step, String outcome, String note) {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"outcome\":\"" + outcome + "\"" + (note == null ? "" : ",\"note\":\"" + note + "\"") + "}")
                .post("/api/suppliers/" + supplierId + "/verification/" + step)
                .then()
                .statusCode(200);
    }

    static void verify(String supplierId) {
        for (String step : STEPS) {
            check(supplierId, step, "PASSED", null);
        }
    }

    public static String activeSupplier() {
        String id = register(UUID.randomUUID() + "@acme.test");
        verify(id);
        setStatus(id, "ACTIVE", null);
        return id;
    }

    @Test
    void anAdminWorksThroughEveryVerificationStepBeforeApproval() {
        String id = register(UUID.randomUUID() + "@acme.test");
        given().auth()
                .oauth2(TestTokens.supplier(id))
                .get("/api/suppliers/" + id + "/verification")
                .then()
                .statusCode(200)
                .body("complete", equalTo(false))
                .body("steps.outcome", everyItem(equalTo("OPEN")))
                .body("steps.step", hasItems(STEPS));

        check(id, "BUSINESS_REGISTRATION", "PASSED", null);
        check(id, "TAX_ID", "FAILED", "VAT number does not match the company");
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"status\":\"ACTIVE\"}")
                .post("/api/suppliers/" + id + "/status")
                .then()
                .statusCode(409)
                .body("detail", containsString("TAX_ID FAILED"))
                .body("detail", containsString("PAYOUT_ACCOUNT OPEN"));

        verify(id);
        setStatus(id, "ACTIVE", null);
        setStatus(id, "SUSPENDED", "late shipments");
        setStatus(id, "ACTIVE", "shipments back on time");

        given().auth()
                .oauth2(TestTokens.supplier(id))
                .get("/api/suppliers/" + id + "/history")
                .then()
                .statusCode(200)
                .body("items.to", contains("PENDING", "ACTIVE", "SUSPENDED", "ACTIVE"))
                .body("items[2].reason", equalTo("late shipments"))
                .body("items[2].from", equalTo("ACTIVE"))
                .body("items[2].changedBy", not(nullValue()));
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/suppliers/" + id + "/verification")
                .then()
                .body("complete", equalTo(true))
                .body("steps.checkedBy", everyItem(not(nullValue())));
    }

    @Test
    void badVerificationInputIsRefused() {
        String id = register(UUID.randomUUID() + "@acme.test");
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"outcome\":\"FAILED\"}")
                .post("/api/suppliers/" + id + "/verification/TAX_ID")
                .then()
                .statusCode(400)
                .body("detail", containsString("needs a note"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"outcome\":\"PASSED\"}")
                .post("/api/suppliers/" + id + "/verification/HOROSCOPE")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"outcome\":\"PASSED\"}")
                .post("/api/suppliers/sup-nobody/verification/TAX_ID")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.supplier(id))
                .contentType(ContentType.JSON)
                .body("{\"outcome\":\"PASSED\"}")
                .post("/api/suppliers/" + id + "/verification/TAX_ID")
                .then()
                .statusCode(403);
    }

    @Test
    void theProfileCarriesShippingMethodsSpeedAndMinimumOrder() {
        String id = given().contentType(ContentType.JSON)
                .body("{\"companyName\":\"Globex\",\"contactEmail\":\"" + UUID.randomUUID() + "@globex.test\","
                        + "\"businessType\":\"DISTRIBUTOR\",\"shipFromRegion\":\"DE\",\"contactName\":\"Hank Scorpio\","
                        + "\"contactPhone\":\"+49 30 1234567\",\"shippingMethods\":[\"STANDARD\",\"EXPRESS\"],"
                        + "\"handlingDays\":1,\"minimumOrderValue\":25.00}")
                .post("/api/suppliers")
                .then()
                .statusCode(201)
                .body("shippingMethods", contains("STANDARD", "EXPRESS"))
                .body("handlingDays", equalTo(1))
                .body("minimumOrderValue", equalTo("25.00"))
                .body("contactName", equalTo("Hank Scorpio"))
                .extract()
                .path("supplierId");
        given().auth()
                .oauth2(TestTokens.supplier(id))
                .contentType(ContentType.JSON)
                .body("{\"handlingDays\":3,\"shippingMethods\":[\"FREIGHT\"]}")
                .put("/api/suppliers/" + id + "/profile")
                .then()
                .statusCode(200)
                .body("handlingDays", equalTo(3))
                .body("shippingMethods", contains("FREIGHT"))
                .body("contactName", equalTo("Hank Scorpio"));
        given().auth()
                .oauth2(TestTokens.supplier(id))
                .contentType(ContentType.JSON)
                .body("{\"handlingDays\":99,\"shippingMethods\":[\"CARRIER_PIGEON\"]}")
                .put("/api/suppliers/" + id + "/profile")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier("sup-other"))
                .contentType(ContentType.JSON)
                .body("{\"handlingDays\":3}")
                .put("/api/suppliers/" + id + "/profile")
                .then()
                .statusCode(404);
    }

    @Test
    void aRotatedKeyKeepsWorkingThroughItsGracePeriodAndNoLonger() {
        String id = activeSupplier();
        String first = given().auth()
                .oauth2(TestTokens.supplier(id))
                .contentType(ContentType.JSON)
                .body("{\"label\":\"erp\"}")
                .post("/api/suppliers/" + id + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("apiKey");
        String firstId = first.substring(4, 20);

        String second = given().auth()
                .oauth2(TestTokens.supplier(id))
                .post("/api/suppliers/" + id + "/api-keys/" + firstId + "/rotate")
                .then()
                .statusCode(201)
                .body("label", equalTo("erp"))
                .extract()
                .path("apiKey");
        given().header("X-Api-Key", first)
                .post("/api/auth/supplier-token")
                .then()
                .statusCode(200);
        given().header("X-Api-Key", second)
                .post("/api/auth/supplier-token")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.supplier(id))
                .get("/api/suppliers/" + id + "/api-keys")
                .then()
                .body("items.find { it.keyId == '" + firstId + "' }.state", equalTo("EXPIRING"))
                .body("items.find { it.keyId == '" + firstId + "' }.replacedBy", equalTo(second.substring(4, 20)));

        given().auth()
                .oauth2(TestTokens.supplier(id))
                .post("/api/suppliers/" + id + "/api-keys/" + firstId + "/rotate")
                .then()
                .statusCode(409);
        String secondId = second.substring(4, 20);
        given().auth()
                .oauth2(TestTokens.supplier(id))
                .post("/api/suppliers/" + id + "/api-keys/" + secondId + "/rotate?graceHours=0")
                .then()
                .statusCode(201);
        given().header("X-Api-Key", second)
                .post("/api/auth/supplier-token")
                .then()
                .statusCode(401);
        given().auth()
                .oauth2(TestTokens.supplier(id))
                .post("/api/suppliers/" + id + "/api-keys/" + secondId + "/rotate?graceHours=500")
                .then()
                .statusCode(400);
    }

    @Test
    void aRegisteredSupplierWaitsForAnAdminToApproveIt() {
        String id = register(UUID.randomUUID() + "@acme.test");
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/suppliers?status=PENDING")
                .then()
                .statusCode(200)
                .body("items.supplierId", hasItem(id));

        verify(id);
        setStatus(id, "ACTIVE", null);
        setStatus(id, "SUSPENDED", "late shipments");

        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/suppliers/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("SUSPENDED"))
                .body("statusReason", equalTo("late shipments"));
    }

    @Test
    void aSecondRegistrationWithTheSameContactIsAConflict() {
        String email = UUID.randomUUID() + "@acme.test";
        register(email);
        given().contentType(ContentType.JSON)
                .body("{\"companyName\":\"Acme again\",\"contactEmail\":\"" + email.toUpperCase() + "\","
                        + "\"businessType\":\"WHOLESALER\",\"shipFromRegion\":\"US\"}")
                .post("/api/suppliers")
                .then()
                .statusCode(409)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void anInvalidRegistrationNamesEachBadField() {
        given().contentType(ContentType.JSON)
                .body(
                        "{\"companyName\":\"\",\"contactEmail\":\"not-an-email\",\"businessType\":\"MANUFACTURER\",\"shipFromRegion\":\"california\"}")
                .post("/api/suppliers")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("companyName"))
                .body("errors.field", hasItem("contactEmail"))
                .body("errors.field", hasItem("shipFromRegion"));
        given().contentType(ContentType.JSON)
                .body("{\"businessType\":\"PIRATE\"}")
                .post("/api/suppliers")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void suspendingNeedsAReason() {
        String id = activeSupplier();
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"status\":\"SUSPENDED\"}")
                .post("/api/suppliers/" + id + "/status")
                .then()
                .statusCode(400);
    }

    @Test
    void aSupplierSeesItselfButNoOtherSupplier() {
        String mine = activeSupplier();
        String theirs = activeSupplier();
        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .get("/api/suppliers/" + mine)
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .get("/api/suppliers/" + theirs)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .get("/api/suppliers")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .get("/api/suppliers/" + mine)
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .contentType(ContentType.JSON)
                .body("{\"status\":\"ACTIVE\"}")
                .post("/api/suppliers/" + theirs + "/status")
                .then()
                .statusCode(403);
    }

    @Test
    void anApiKeyIsShownOnceAndExchangedForAShortLivedSupplierToken() {
        String id = activeSupplier();
        String apiKey = given().auth()
                .oauth2(TestTokens.supplier(id))
                .contentType(ContentType.JSON)
                .body("{\"label\":\"warehouse sync\"}")
                .post("/api/suppliers/" + id + "/api-keys")
                .then()
                .statusCode(201)
                .body("apiKey", startsWith("dsk_"))
                .extract()
                .path("apiKey");

        given().auth()
                .oauth2(TestTokens.supplier(id))
                .get("/api/suppliers/" + id + "/api-keys")
                .then()
                .statusCode(200)
                .body("items.label", hasItem("warehouse sync"))
                .body("items[0].apiKey", nullValue())
                .body("items[0].secretHash", nullValue());

        String token = given().header("X-Api-Key", apiKey)
                .post("/api/auth/supplier-token")
                .then()
                .statusCode(200)
                .body("tokenType", equalTo("Bearer"))
                .body("expiresIn", equalTo(900))
                .extract()
                .path("accessToken");
        given().auth()
                .oauth2(token)
                .get("/api/suppliers/" + id)
                .then()
                .statusCode(200)
                .body("supplierId", equalTo(id));
        given().auth()
                .oauth2(TestTokens.supplier(id))
                .get("/api/suppliers/" + id + "/api-keys")
                .then()
                .body("items[0].lastUsedAt", not(nullValue()));
    }

    @Test
    void aWrongMalformedOrRevokedKeyGetsTheSame401() {
        String id = activeSupplier();
        String apiKey = given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/suppliers/" + id + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("apiKey");
        String keyId = apiKey.substring(4, 20);
        String tampered = apiKey.substring(0, apiKey.length() - 2) + (apiKey.endsWith("AA") ? "BB" : "AA");

        given().header("X-Api-Key", tampered)
                .post("/api/auth/supplier-token")
                .then()
                .statusCode(401)
                .contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("the API key is not valid"));
        given().header("X-Api-Key", "hunter2")
                .post("/api/auth/supplier-token")
                .then()
                .statusCode(401)
                .body("detail", equalTo("the API key is not valid"));
        given().post("/api/auth/supplier-token").then().statusCode(401);

        given().auth()
                .oauth2(TestTokens.supplier(id))
                .delete("/api/suppliers/" + id + "/api-keys/" + keyId)
                .then()
                .statusCode(204);
        given().header("X-Api-Key", apiKey)
                .post("/api/auth/supplier-token")
                .then()
                .statusCode(401)
                .body("detail", equalTo("the API key is not valid"));
    }

    @Test
    void aSuspendedSupplierCannotExchangeItsKeyAndAPendingOneGetsNone() {
        String id = activeSupplier();
        String apiKey = given().auth()
                .oauth2(TestTokens.supplier(id))
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/suppliers/" + id + "/api-keys")
                .then()
                .statusCode(201)
                .extract()
                .path("apiKey");
        setStatus(id, "SUSPENDED", "fraud review");
        given().header("X-Api-Key", apiKey)
                .post("/api/auth/supplier-token")
                .then()
                .statusCode(403);

        String pending = register(UUID.randomUUID() + "@acme.test");
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/suppliers/" + pending + "/api-keys")
                .then()
                .statusCode(409);
    }

    @Test
    void aSupplierCannotMakeKeysForAnother() {
        String mine = activeSupplier();
        String theirs = activeSupplier();
        given().auth()
                .oauth2(TestTokens.supplier(mine))
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/suppliers/" + theirs + "/api-keys")
                .then()
                .statusCode(404);
    }
}
