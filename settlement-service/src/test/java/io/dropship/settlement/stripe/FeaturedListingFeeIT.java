package io.dropship.settlement.stripe;

import static io.dropship.settlement.stripe.MoneyFlowIT.connectedSupplier;
import static io.dropship.settlement.stripe.MoneyFlowIT.imbalance;
import static io.dropship.settlement.stripe.MoneyFlowIT.payingRetailer;
import static io.dropship.settlement.stripe.MoneyFlowIT.reserved;
import static io.dropship.settlement.stripe.MoneyFlowIT.settled;
import static io.dropship.settlement.stripe.MoneyFlowIT.shipped;
import static io.dropship.settlement.stripe.MoneyFlowIT.stripeObjects;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The featured listing fee: while catalog-service says a supplier is featured (SupplierFeatured, over the real broker),
 * its supplier orders pay the fee rules' percentage out of the supplier's payout; the retailer's charge and invoice do
 * not change, the ledger still balances, and the transfer to Stripe is the smaller payout.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class FeaturedListingFeeIT {

    private static void featured(String supplier, Instant until) {
        var e = MoneyFlowIT.JSON
                .createObjectNode()
                .put("supplierId", supplier)
                .put("changedAt", Instant.now().toString());
        if (until == null) {
            e.putNull("featuredUntil");
        } else {
            e.put("featuredUntil", until.toString());
        }
        ContractCheck.assertValid("SupplierFeatured", e.toString());
        String id = UUID.randomUUID().toString();
        TopicProbe.send("SupplierFeatured", supplier, e.toString(), Map.of("id", id, "eventType", "SupplierFeatured"));
        Outboxes.awaitConsumed("settlement-service.supplier-featured", id);
    }

    @Test
    void aFeaturedSuppliersOrdersPayTheListingFeeOutOfItsPayoutOnly() throws Exception {
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body("{\"percent\":\"10\"}")
                .put("/api/fee-rules/featured-listing")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"percent\":\"150\"}")
                .put("/api/fee-rules/featured-listing")
                .then()
                .statusCode(400);
        try {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType(ContentType.JSON)
                    .body("{\"percent\":\"10\"}")
                    .put("/api/fee-rules/featured-listing")
                    .then()
                    .statusCode(200)
                    .body("percent", equalTo("10.000"));
            String retailer = "ret-" + UUID.randomUUID();
            String supplier = "sf-" + UUID.randomUUID().toString().substring(0, 8);
            payingRetailer(retailer, "pm_card_visa");
            connectedSupplier(supplier, true);
            featured(supplier, Instant.now().plus(30, ChronoUnit.DAYS));

            String orderId = UUID.randomUUID().toString();
            String so = UUID.randomUUID().toString();
            reserved(orderId, so, retailer, supplier, "12.40", 1);
            shipped(orderId, so, retailer, supplier);
            JsonNode settled = settled(orderId, so);
            ContractCheck.assertValid("Settled", settled.toString());
            // BASIC's 0.50 + 5% of 15.90 = 1.30 from the retailer; 10% of 15.90 = 1.59 from the supplier.
            assertEquals("17.20", settled.get("retailerCharge").asText());
            assertEquals("1.59", settled.get("listingFee").asText());
            assertEquals("2.89", settled.get("platformFee").asText());
            assertEquals("14.31", settled.get("supplierPayout").asText());
            assertEquals(
                    1431,
                    stripeObjects("transfer", "supplierOrderId", so)
                            .get(0)
                            .get("amount")
                            .asLong());
            assertEquals(0, imbalance(so).signum(), "the ledger balances");
            given().auth()
                    .oauth2(TestTokens.retailer(retailer))
                    .get("/api/invoices/" + orderId)
                    .then()
                    .statusCode(200)
                    .body("lines[0].platformFee", equalTo("1.30"))
                    .body("total", equalTo("17.20"));

            // No longer featured: no fee.
            featured(supplier, null);
            String later = UUID.randomUUID().toString();
            String so2 = UUID.randomUUID().toString();
            reserved(later, so2, retailer, supplier, "12.40", 1);
            shipped(later, so2, retailer, supplier);
            JsonNode plain = settled(later, so2);
            assertEquals(0, new BigDecimal(plain.path("listingFee").asText("0")).signum());
            assertEquals("15.90", plain.get("supplierPayout").asText());
        } finally {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType(ContentType.JSON)
                    .body("{\"percent\":\"0\"}")
                    .put("/api/fee-rules/featured-listing")
                    .then()
                    .statusCode(200);
        }
    }
}
