package io.dropship.settlement.stripe;

import static io.dropship.settlement.stripe.MoneyFlowIT.payingRetailer;
import static io.dropship.settlement.stripe.MoneyFlowIT.reserved;
import static io.dropship.settlement.stripe.MoneyFlowIT.stripeObjects;
import static io.dropship.testkit.Events.example;
import static io.dropship.testkit.Events.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** When a supplier order may go to its supplier, and what is charged in which currency. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class PaymentClearanceIT {

    private static void creditTerms(String retailer, String limit) {
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"currency\":\"USD\",\"limit\":\"" + limit + "\"}")
                .put("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(200)
                .body("limit", equalTo(limit));
    }

    @Test
    void creditTermsLetSupplierOrdersGoBeforeTheChargeButNeverPastTheLimit() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        payingRetailer(retailer, "pm_card_chargeDeclined");
        creditTerms(retailer, "20.00");

        String first = UUID.randomUUID().toString();
        String firstSo = UUID.randomUUID().toString();
        reserved(first, firstSo, retailer, "sp-credit", "12.40", 1);
        ConsumerRecord<String, String> cleared =
                TopicProbe.await("PaymentCleared", r -> first.equals(r.key()), Duration.ofSeconds(30));
        ContractCheck.assertValid("PaymentCleared", cleared.value());
        JsonNode c = TopicProbe.json(cleared);
        assertEquals("CREDIT", c.get("basis").asText());
        assertEquals(List.of(firstSo), List.of(c.at("/supplierOrderIds/0").asText()));
        TopicProbe.await("PaymentFailed", r -> first.equals(r.key()), Duration.ofSeconds(30));

        // 17.20 is outstanding on credit; another 17.20 would pass the 20.00 limit: this one waits for its charge.
        String second = UUID.randomUUID().toString();
        reserved(second, UUID.randomUUID().toString(), retailer, "sp-credit", "12.40", 1);
        TopicProbe.await("PaymentFailed", r -> second.equals(r.key()), Duration.ofSeconds(30));
        assertEquals(0, Outboxes.published("PaymentCleared", second));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(200)
                .body("outstanding", equalTo("17.20"))
                .body("currency", equalTo("USD"));
    }

    @Test
    void creditIsAMoneyDecisionOnlyAnAdminMakesAndARetailerSeesOnlyItsOwn() {
        String retailer = "ret-" + UUID.randomUUID();
        String body = "{\"currency\":\"USD\",\"limit\":\"1000.00\"}";
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body)
                .put("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"currency\":\"USD\",\"limit\":\"-1\"}")
                .put("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(404);
        creditTerms(retailer, "1000.00");
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .get("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.support())
                .delete("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .delete("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(204);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/retailers/" + retailer + "/credit-terms")
                .then()
                .statusCode(404);
    }

    @Test
    void aYenOrderIsChargedInWholeYenNotAHundredTimesMoreWithTheFixedFeeSetInYen() throws Exception {
        // BASIC as the migration sets it (0.50 USD + 3 %), with a fixed fee of 70 yen for orders in yen.
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(io.restassured.http.ContentType.JSON)
                .body("{\"fixedFee\":\"0.50\",\"percent\":\"3\",\"monthlyOrderLimit\":100,\"fixedFees\":{\"JPY\":70}}")
                .put("/api/fee-rules/BASIC")
                .then()
                .statusCode(200);
        String retailer = "ret-" + UUID.randomUUID();
        payingRetailer(retailer, "pm_card_visa");
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        ObjectNode e = example("StockReserved")
                .put("orderId", orderId)
                .put("supplierOrderId", soId)
                .put("retailerId", retailer)
                .put("supplierId", "sp-tokyo")
                .put("currency", "JPY")
                .put("wholesaleTotal", "1200")
                .put("shippingCost", "10")
                .put("routedTogether", 1);
        publish("StockReserved", orderId, e);

        TopicProbe.await("PaymentCleared", r -> orderId.equals(r.key()), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        !stripeObjects("payment_intent", "orderId", orderId).isEmpty());
        ObjectNode pi = stripeObjects("payment_intent", "orderId", orderId).get(0);
        // BASIC in yen: 70 + 3% of 1,210 yen = 106.30, rounded to 106 whole yen; 1,210 + 106 = 1,316 yen (not 0.50
        // "yen" of the dollar fixed fee, and not a hundred times that in Stripe's minor units).
        assertEquals("jpy", pi.get("currency").asText());
        assertEquals(1316, pi.get("amount").asLong());
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/invoices/" + orderId)
                .then()
                .statusCode(200)
                .body("currency", equalTo("JPY"))
                .body("lines[0].platformFee", equalTo("106.00"));
    }
}
