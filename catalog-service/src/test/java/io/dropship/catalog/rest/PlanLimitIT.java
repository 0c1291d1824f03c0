package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A plan's supplier limit: a retailer on BASIC's terms (no subscription, or a BASIC one) lists products of at most five
 * suppliers; a sixth is refused with the way up, and a plan without the limit (settlement-service's
 * SubscriptionChanged, over the real broker) lets it through.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class PlanLimitIT {

    private static void subscribed(String retailer, String plan, Integer supplierLimit) throws Exception {
        ObjectNode e = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(ContractCheck.example("SubscriptionChanged"));
        e.put("retailerId", retailer)
                .put("plan", plan)
                .put("status", "ACTIVE")
                .put("changedAt", Instant.now().toString())
                .putNull("invoicePaid");
        if (supplierLimit == null) {
            e.putNull("supplierLimit");
        } else {
            e.put("supplierLimit", supplierLimit);
        }
        ContractCheck.assertValid("SubscriptionChanged", e.toString());
        String id = UUID.randomUUID().toString();
        TopicProbe.send(
                "SubscriptionChanged", retailer, e.toString(), Map.of("id", id, "eventType", "SubscriptionChanged"));
        Outboxes.awaitConsumed("catalog-service.subscription-changed", id);
    }

    @Test
    void aSixthSupplierIsRefusedOnBasicAndListedOnceThePlanHasNoLimit() throws Exception {
        List<String> suppliers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String supplier = SupplierOnboardingIT.activeSupplier();
            ListingImportIT.product(supplier, "KET-" + i, "10.00", null, null, "ACTIVE");
            suppliers.add(supplier);
        }
        String retailer = "ret-" + UUID.randomUUID();
        ListingImportIT.rule(retailer, "{\"method\":\"MARKUP_PERCENT\",\"amount\":50}");
        for (int i = 0; i < 5; i++) {
            given().auth()
                    .oauth2(TestTokens.retailer(retailer))
                    .contentType(ContentType.JSON)
                    .body("{\"storeId\":\"st-plan\",\"products\":[" + ListingImportIT.item(suppliers.get(i), "KET-" + i)
                            + "]}")
                    .post("/api/listings/imports")
                    .then()
                    .statusCode(200)
                    .body("created", equalTo(1));
        }
        // A second product of a supplier already listed is no new supplier.
        ListingImportIT.product(suppliers.get(0), "KET-0B", "11.00", null, null, "ACTIVE");
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-plan\",\"products\":[" + ListingImportIT.item(suppliers.get(0), "KET-0B")
                        + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("created", equalTo(1));

        // No subscription: BASIC's terms, five suppliers. The sixth is refused, saying how to get more.
        String sixth =
                "{\"storeId\":\"st-plan\",\"products\":[" + ListingImportIT.item(suppliers.get(5), "KET-5") + "]}";
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(sixth)
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("rejected", equalTo(1))
                .body("items[0].reason", containsString("BASIC lets a retailer list products of 5 suppliers"))
                .body("items[0].reason", containsString("PUT /api/billing/subscription"));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Kettle\",\"offers\":[" + ListingImportIT.item(suppliers.get(5), "KET-5") + "]}")
                .put("/api/listings/MY-KET-5")
                .then()
                .statusCode(409)
                .body("detail", containsString("supplier 6"));

        // Subscribed to PRO (no supplier limit): the sixth goes in. Back on a plan with a limit of 5: refused again.
        subscribed(retailer, "PRO", null);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(sixth)
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("created", equalTo(1));
        String seventh = SupplierOnboardingIT.activeSupplier();
        ListingImportIT.product(seventh, "KET-7", "10.00", null, null, "ACTIVE");
        subscribed(retailer, "BASIC", 5);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-plan\",\"products\":[" + ListingImportIT.item(seventh, "KET-7") + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("rejected", equalTo(1));
    }

    @Test
    void oneImportCountsTheSuppliersItemByItemAndAMovedListingNoLongerCountsItsOldOne() {
        List<String> suppliers = new ArrayList<>();
        StringBuilder six = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            String supplier = SupplierOnboardingIT.activeSupplier();
            ListingImportIT.product(supplier, "PAN-" + i, "10.00", null, null, "ACTIVE");
            suppliers.add(supplier);
            six.append(i > 0 ? "," : "").append(ListingImportIT.item(supplier, "PAN-" + i));
        }
        String retailer = "ret-" + UUID.randomUUID();
        ListingImportIT.rule(retailer, "{\"method\":\"MARKUP_PERCENT\",\"amount\":50}");
        // Six suppliers in one import on BASIC: the first five are listed, the sixth refused.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-pan\",\"products\":[" + six + "]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("created", equalTo(5))
                .body("rejected", equalTo(1))
                .body("items[5].result", equalTo("REJECTED"))
                .body("items[5].reason", containsString("this would be supplier 6"));
        // The store SKU PAN-0 moves from the first supplier to the sixth: still five suppliers, so it goes in; a
        // product of the first supplier under a new SKU after it in the same import is then its sixth, refused.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"storeId\":\"st-pan\",\"products\":["
                        + "{\"supplierId\":\"" + suppliers.get(5) + "\",\"sku\":\"PAN-5\",\"listingSku\":\"PAN-0\"},"
                        + "{\"supplierId\":\"" + suppliers.get(0)
                        + "\",\"sku\":\"PAN-0\",\"listingSku\":\"PAN-0-AGAIN\"}]}")
                .post("/api/listings/imports")
                .then()
                .statusCode(200)
                .body("items[0].result", equalTo("UPDATED"))
                .body("items[1].result", equalTo("REJECTED"))
                .body("items[1].reason", containsString("this would be supplier 6"));
    }
}
