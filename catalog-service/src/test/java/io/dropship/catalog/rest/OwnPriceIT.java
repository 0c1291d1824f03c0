package io.dropship.catalog.rest;

import static io.dropship.catalog.rest.ListingImportIT.awaitPending;
import static io.dropship.catalog.rest.ListingImportIT.item;
import static io.dropship.catalog.rest.ListingImportIT.listingEventPriced;
import static io.dropship.catalog.rest.ListingImportIT.product;
import static io.dropship.catalog.rest.ListingImportIT.rule;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A retailer's own price for a listing, over its general rule: a fixed price or a rule of the listing's own. MAP, the
 * MSRP cap and the minimum margin still apply with a clear refusal; a cost change that takes a fixed price below them
 * proposes the least price they allow, for the retailer to approve.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class OwnPriceIT {

    private static String listed(String supplier, String sku, String retailer) {
        return given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-own\",\"products\":[" + item(supplier, sku) + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].listingId");
    }

    private static io.restassured.response.ValidatableResponse own(String retailer, String sku, String body) {
        return given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/listings/" + sku + "/pricing")
                .then();
    }

    @Test
    void aFixedPriceHoldsUntilACostChangeBreaksTheMinimumMarginThenTheLeastAllowedPriceWaitsForApproval() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        product(supplier, "CHAIR", "18.00", "80.00", "30.00", "ACTIVE"); // landed 20.00, MAP 30.00, MSRP 80.00
        String retailer = "ret-" + UUID.randomUUID();
        String token = TestTokens.retailer(retailer);
        rule(retailer, "{\"method\":\"MARKUP_PERCENT\",\"amount\":50,\"minMarginPercent\":25,\"priceEnding\":0.99}");
        String listingId = listed(supplier, "CHAIR", retailer);

        // Refused with the reason, nothing changes: under MAP, over MSRP, under the minimum margin; both or neither
        // given.
        own(retailer, "CHAIR", "{\"fixedPrice\":29.00}")
                .statusCode(409)
                .body("detail", containsString("below the supplier's minimum advertised price 30.00"));
        own(retailer, "CHAIR", "{\"fixedPrice\":85.00}")
                .statusCode(409)
                .body("detail", containsString("above the supplier's MSRP 80.00"));
        product(supplier, "CHAIR", "24.00", "80.00", "25.00", "ACTIVE"); // landed 26.00, MAP 25.00
        awaitPending(
                token,
                listingId); // the general rule's 39.99 waits (beyond the tolerance); a price of its own supersedes it
        own(retailer, "CHAIR", "{\"fixedPrice\":30.00}")
                .statusCode(409)
                .body("detail", containsString("leaves a 13.33% margin, below the 25% minimum"));
        own(retailer, "CHAIR", "{}").statusCode(400);
        own(retailer, "CHAIR", "{\"fixedPrice\":45.00,\"rule\":{\"method\":\"MULTIPLIER\",\"amount\":2}}")
                .statusCode(400);
        own(retailer, "CHAIR", "{\"fixedPrice\":-1}").statusCode(400);
        own(retailer, "NO-SUCH", "{\"fixedPrice\":45.00}").statusCode(404);
        own("ret-other", "CHAIR", "{\"fixedPrice\":45.00}").statusCode(404);

        // Fixed at 45.00: live and pushed; a cost change that keeps the margin leaves it alone.
        own(retailer, "CHAIR", "{\"fixedPrice\":45.00}")
                .statusCode(200)
                .body("price", equalTo("45.00"))
                .body("pricedBy", equalTo("FIXED"))
                .body("fixedPrice", equalTo("45.00"));
        assertEquals(
                "st-own", listingEventPriced(listingId, "45.00").get("storeId").asText());
        product(supplier, "CHAIR", "28.00", "80.00", "25.00", "ACTIVE"); // landed 30.00: 33% margin, still fine
        await(() -> landed(token, "CHAIR").equals("30.00"));
        assertEquals("45.00", price(token, "CHAIR"));

        // Landed 38.00 leaves 15.6%: the fixed price stays, and the least price the 25% minimum allows (50.67, ending
        // .99: 50.99) waits for the retailer; approved, it is the new fixed price.
        product(supplier, "CHAIR", "36.00", "80.00", "25.00", "ACTIVE");
        long change = awaitPending(token, listingId);
        given().auth()
                .oauth2(token)
                .queryParam("status", "PENDING")
                .get("/api/listings/price-changes")
                .then()
                .body("items.find { it.id == " + change + " }.newPrice", equalTo("50.99"))
                .body("items.find { it.id == " + change + " }.reason", containsString("below the 25% minimum"));
        assertEquals("45.00", price(token, "CHAIR"));
        given().auth()
                .oauth2(token)
                .post("/api/listings/price-changes/" + change + "/approve")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(token)
                .get("/api/listings")
                .then()
                .body("items.find { it.sku == 'CHAIR' }.price", equalTo("50.99"))
                .body("items.find { it.sku == 'CHAIR' }.fixedPrice", equalTo("50.99"));
        listingEventPriced(listingId, "50.99");

        // Back to the general rule: 38.00 * 1.5 = 57.00, ending .99: 57.99.
        given().auth()
                .oauth2(token)
                .delete("/api/listings/CHAIR/pricing")
                .then()
                .statusCode(200)
                .body("pricedBy", equalTo("RETAILER_RULE"))
                .body("fixedPrice", nullValue())
                .body("price", equalTo("57.99"));
    }

    @Test
    void aListingRuleOfItsOwnPricesItWithinTheGeneralGuards() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        product(supplier, "DESK", "98.00", null, "150.00", "ACTIVE"); // landed 100.00, MAP 150.00
        String retailer = "ret-" + UUID.randomUUID();
        rule(retailer, "{\"method\":\"MARKUP_PERCENT\",\"amount\":60,\"respectMap\":true}");
        listed(supplier, "DESK", retailer);
        assertEquals("160.00", price(TestTokens.retailer(retailer), "DESK"));

        // Its own rule (x1.2, and no MAP of its own): the general rule's MAP still raises it to 150.00, ending .00.
        own(
                        retailer,
                        "DESK",
                        "{\"rule\":{\"method\":\"MULTIPLIER\",\"amount\":1.2,\"respectMap\":false,\"priceEnding\":0.00}}")
                .statusCode(200)
                .body("pricedBy", equalTo("LISTING_RULE"))
                .body("price", equalTo("150.00"))
                .body("ownRule.method", equalTo("MULTIPLIER"));
        own(retailer, "DESK", "{\"rule\":{\"method\":\"MULTIPLIER\",\"amount\":0.5}}")
                .statusCode(400)
                .body("detail", containsString("multiplier"));
    }

    private static String price(String token, String sku) {
        return given().auth()
                .oauth2(token)
                .get("/api/listings")
                .then()
                .statusCode(200)
                .extract()
                .path("items.find { it.sku == '" + sku + "' }.price");
    }

    private static String landed(String token, String sku) {
        return String.valueOf(given().auth()
                .oauth2(token)
                .get("/api/listings")
                .then()
                .statusCode(200)
                .extract()
                .<Object>path("items.find { it.sku == '" + sku + "' }.landedCost"));
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .until(condition);
    }
}
