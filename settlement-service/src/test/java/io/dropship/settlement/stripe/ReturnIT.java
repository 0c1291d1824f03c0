package io.dropship.settlement.stripe;

import static io.dropship.settlement.stripe.MoneyFlowIT.connectedSupplier;
import static io.dropship.settlement.stripe.MoneyFlowIT.imbalance;
import static io.dropship.settlement.stripe.MoneyFlowIT.payingRetailer;
import static io.dropship.settlement.stripe.MoneyFlowIT.reserved;
import static io.dropship.settlement.stripe.MoneyFlowIT.settled;
import static io.dropship.settlement.stripe.MoneyFlowIT.shipped;
import static io.dropship.settlement.stripe.MoneyFlowIT.stripe;
import static io.dropship.settlement.stripe.MoneyFlowIT.stripeObjects;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.testkit.Events;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Rows;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A return reverses the supplier's transfer by what its policy gives back and refunds the retailer that much. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class ReturnIT {

    private static String settledSupplierOrder(String retailer, String supplier) throws Exception {
        String order = UUID.randomUUID().toString();
        String so = UUID.randomUUID().toString();
        reserved(order, so, retailer, supplier, "12.40", 1);
        shipped(order, so, retailer, supplier);
        settled(order, so);
        return so;
    }

    private static String body(String so, String reason) {
        return "{\"supplierOrderId\":\"" + so + "\",\"reason\":\"" + reason + "\"}";
    }

    @Test
    void aReturnGivesBackWhatTheSuppliersPolicySaysFromItsTransferToTheRetailer() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sr-" + UUID.randomUUID().toString().substring(0, 8);
        String supplierToken = TestTokens.supplier(supplier);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        given().auth()
                .oauth2(supplierToken)
                .get("/api/supplier/return-policy")
                .then()
                .statusCode(200)
                .body("windowDays", equalTo(30))
                .body("refundShipping", equalTo(false));
        given().auth()
                .oauth2(supplierToken)
                .contentType(ContentType.JSON)
                .body(
                        "{\"acceptsReturns\":true,\"windowDays\":14,\"refundShipping\":false,\"restockingFeePercent\":10}")
                .put("/api/supplier/return-policy")
                .then()
                .statusCode(200);
        // Announced for the supplier directory (catalog-service's return policy summary).
        String policy = io.dropship.testkit.TopicProbe.await(
                        "ReturnPolicyChanged", r -> supplier.equals(r.key()), java.time.Duration.ofSeconds(30))
                .value();
        io.dropship.contracts.ContractCheck.assertValid("ReturnPolicyChanged", policy);
        org.junit.jupiter.api.Assertions.assertEquals(
                14,
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(policy)
                        .get("windowDays")
                        .asInt(),
                policy);
        String so = settledSupplierOrder(retailer, supplier);

        // The supplier's Stripe balance was paid out to its bank: the first reversal is refused, a later one goes
        // through.
        stripe().failNextOn(
                        "reversals",
                        java.util.Map.of("metadata[supplierOrderId]", so),
                        400,
                        "invalid_request_error",
                        "balance_insufficient",
                        "Insufficient funds in the connected account to reverse this transfer.");
        // 12.40 wholesale less a 10% restocking fee; shipping is not given back: 11.16.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body(so, "arrived broken"))
                .post("/api/returns")
                .then()
                .statusCode(200)
                .body("amount", equalTo("11.16"))
                .body("restockingFee", equalTo("1.24"))
                .body("status", equalTo("DUE"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "DONE"
                        .equals(given().auth()
                                .oauth2(TestTokens.retailer(retailer))
                                .queryParam("supplierOrderId", so)
                                .get("/api/returns")
                                .then()
                                .extract()
                                .path("items[0].status")));

        assertEquals(
                2,
                Rows.value("select attempts from supplier_order_return where supplier_order_id = cast(? as uuid)", so),
                "refused once for the balance, then reversed and refunded");
        ObjectNode transfer = stripeObjects("transfer", "supplierOrderId", so).get(0);
        assertEquals(
                1116,
                stripe().object(transfer.get("id").asText())
                        .get("amount_reversed")
                        .asLong());
        List<ObjectNode> refunds = stripeObjects("refund", "supplierOrderId", so);
        assertEquals(1, refunds.size());
        assertEquals(1116, refunds.get(0).get("amount").asLong());
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(so));
        given().auth()
                .oauth2(supplierToken)
                .get("/api/returns")
                .then()
                .statusCode(200)
                .body("items[0].supplierOrderId", equalTo(so));
        given().auth()
                .oauth2(supplierToken)
                .get("/api/billing/statement")
                .then()
                .statusCode(200)
                .body("paid[0].reversed", equalTo("11.16"))
                .body("totalPaid", equalTo("4.74"));
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("supplierId", supplier)
                .get("/api/reconciliation")
                .then()
                .statusCode(200)
                .body("agrees", equalTo(true));

        // Returned once only.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body(so, "again"))
                .post("/api/returns")
                .then()
                .statusCode(409)
                .body("detail", containsString("returned already"));
    }

    @Test
    void twoReturnsOfOneSupplierOrderAtTheSameMomentMakeOneReturnAndOneRefusal() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sr-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        String so = settledSupplierOrder(retailer, supplier);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.Callable<Integer> ask = () -> {
                go.await();
                return given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .contentType(ContentType.JSON)
                        .body(body(so, "arrived broken"))
                        .post("/api/returns")
                        .then()
                        .extract()
                        .statusCode();
            };
            var first = pool.submit(ask);
            var second = pool.submit(ask);
            go.countDown();
            assertEquals(
                    java.util.List.of(200, 409),
                    java.util.stream.Stream.of(first.get(), second.get())
                            .sorted()
                            .toList());
        } finally {
            pool.shutdownNow();
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "DONE"
                        .equals(given().auth()
                                .oauth2(TestTokens.retailer(retailer))
                                .queryParam("supplierOrderId", so)
                                .get("/api/returns")
                                .then()
                                .extract()
                                .path("items[0].status")));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .queryParam("supplierOrderId", so)
                .get("/api/returns")
                .then()
                .body("items.size()", equalTo(1));
        assertEquals(1, stripeObjects("refund", "supplierOrderId", so).size(), "one refund");
        ObjectNode transfer = stripeObjects("transfer", "supplierOrderId", so).get(0);
        assertEquals(
                1,
                stripe().objects("transfer_reversal").stream()
                        .filter(r -> transfer.get("id")
                                .asText()
                                .equals(r.get("transfer").asText()))
                        .count(),
                "one reversal");
    }

    @Test
    void returnsThePolicyOrTheStateDoesNotAllowAndBadRequestsAreRefused() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sn-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.retailer(retailer);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"acceptsReturns\":false,\"windowDays\":0,\"refundShipping\":false,\"restockingFeePercent\":0}")
                .put("/api/supplier/return-policy")
                .then()
                .statusCode(200);
        String so = settledSupplierOrder(retailer, supplier);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(so, "changed my mind"))
                .post("/api/returns")
                .then()
                .statusCode(409)
                .body("detail", containsString("does not take returns"));
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .contentType(ContentType.JSON)
                .body(body(so, "x"))
                .post("/api/returns")
                .then()
                .statusCode(404);
        // A return moves money: support reads returns but cannot make one.
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(body(so, "x"))
                .post("/api/returns")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(UUID.randomUUID().toString(), "x"))
                .post("/api/returns")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(so, " "))
                .post("/api/returns")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"supplierOrderId\":\"not-a-uuid\",\"reason\":\"x\"}")
                .post("/api/returns")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body(
                        "{\"acceptsReturns\":true,\"windowDays\":30,\"refundShipping\":true,\"restockingFeePercent\":150}")
                .put("/api/supplier/return-policy")
                .then()
                .statusCode(400);

        // Not paid out yet: nothing to give back from.
        String order = UUID.randomUUID().toString();
        String open = UUID.randomUUID().toString();
        reserved(order, open, retailer, supplier, "12.40", 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Rows.value(
                                "select status from supplier_order_account where supplier_order_id = cast(? as uuid)",
                                open)
                        != null);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body(open, "x"))
                .post("/api/returns")
                .then()
                .statusCode(409)
                .body("detail", containsString("has been paid"));
    }

    private static ObjectNode caseResolved(
            String order, String so, String retailer, String supplier, String amount, String chargeTo)
            throws Exception {
        return Events.example("CaseUpdated")
                .put("caseId", UUID.randomUUID().toString())
                .put("orderId", order)
                .put("supplierOrderId", so)
                .put("retailerId", retailer)
                .put("supplierId", supplier)
                .put("event", "RESOLVED")
                .put("status", "RESOLVED")
                .put("outcome", "REFUND")
                .put("refundAmount", amount)
                .put("currency", "USD")
                .put("chargeTo", chargeTo);
    }

    @Test
    void aCaseResolvedWithARefundGivesItBackFromTheSupplierOrAtThePlatformsCostOncePerCaseBesideAReturn()
            throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sc-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        String so = settledSupplierOrder(retailer, supplier);
        String order = String.valueOf(Rows.value(
                "select cast(order_id as text) from supplier_order_account"
                        + " where supplier_order_id = cast(? as uuid)",
                so));

        // The supplier's fault: reversed from its transfer, then refunded; the same case announced twice gives back
        // once.
        ObjectNode bySupplier = caseResolved(order, so, retailer, supplier, "5.00", "SUPPLIER");
        io.dropship.contracts.ContractCheck.assertValid("CaseUpdated", bySupplier.toString());
        Events.publish("CaseUpdated", order, bySupplier);
        Events.publish("CaseUpdated", order, bySupplier);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stripeObjects("refund", "supplierOrderId", so).size() == 1);
        ObjectNode transfer = stripeObjects("transfer", "supplierOrderId", so).get(0);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> stripe().object(transfer.get("id").asText())
                                .get("amount_reversed")
                                .asLong()
                        == 500);
        assertEquals(
                500,
                stripeObjects("refund", "supplierOrderId", so)
                        .get(0)
                        .get("amount")
                        .asLong());

        // The platform's goodwill: refunded with no reversal.
        Events.publish("CaseUpdated", order, caseResolved(order, so, retailer, supplier, "2.00", "PLATFORM"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stripeObjects("refund", "supplierOrderId", so).size() == 2);
        assertEquals(
                500,
                stripe().object(transfer.get("id").asText())
                        .get("amount_reversed")
                        .asLong(),
                "nothing more reversed");
        // The refund is at Stripe before its row says DONE (the call's answer is recorded after it).
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertEquals(
                        2L,
                        Rows.value(
                                "select count(*)"
                                        + " from supplier_order_return where supplier_order_id = cast(? as uuid) and case_id is not null"
                                        + " and status = 'DONE'",
                                so)));
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(so));

        // A return of the same supplier order is still taken, once; case refunds are not returns.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .queryParam("supplierOrderId", so)
                .get("/api/returns")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body(so, "arrived broken"))
                .post("/api/returns")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body(body(so, "again"))
                .post("/api/returns")
                .then()
                .statusCode(409);
    }

    @Test
    void aLineReturnIsAuthorisedUnderThePolicyAndRefundedProRataOnlyOnceTheSupplierHasTheParcel() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sl-" + UUID.randomUUID().toString().substring(0, 8);
        String supplierToken = TestTokens.supplier(supplier);
        String retailerToken = TestTokens.retailer(retailer);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        given().auth()
                .oauth2(supplierToken)
                .contentType(ContentType.JSON)
                .body("{\"acceptsReturns\":true,\"windowDays\":14,\"refundShipping\":true,\"restockingFeePercent\":10,"
                        + "\"returnShippingPaidBy\":\"SUPPLIER\"}")
                .put("/api/supplier/return-policy")
                .then()
                .statusCode(200)
                .body("returnShippingPaidBy", equalTo("SUPPLIER"));
        // The example's supplier order: line 466157049, MUG-BLK-12, 2 units at 6.20, shipping 3.50.
        String so = settledSupplierOrder(retailer, supplier);
        String path = "/api/return-requests";
        given().auth()
                .oauth2(retailerToken)
                .contentType(ContentType.JSON)
                .body(java.util.Map.of(
                        "supplierOrderId",
                        so,
                        "lines",
                        List.of(java.util.Map.of("lineId", "466157049", "quantity", 3)),
                        "reason",
                        "too many"))
                .post(path)
                .then()
                .statusCode(409)
                .body("detail", containsString("2 units left"));
        given().auth()
                .oauth2(retailerToken)
                .contentType(ContentType.JSON)
                .body(java.util.Map.of(
                        "supplierOrderId",
                        so,
                        "lines",
                        List.of(java.util.Map.of("lineId", "nope", "quantity", 1)),
                        "reason",
                        "x"))
                .post(path)
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .contentType(ContentType.JSON)
                .body(java.util.Map.of(
                        "supplierOrderId",
                        so,
                        "lines",
                        List.of(java.util.Map.of("lineId", "466157049", "quantity", 1)),
                        "reason",
                        "x"))
                .post(path)
                .then()
                .statusCode(404);
        String id = given().auth()
                .oauth2(retailerToken)
                .contentType(ContentType.JSON)
                .body(java.util.Map.of(
                        "supplierOrderId",
                        so,
                        "lines",
                        List.of(java.util.Map.of("lineId", "466157049", "quantity", 1)),
                        "reason",
                        "the customer ordered one too many"))
                .post(path)
                .then()
                .statusCode(201)
                .body("status", equalTo("REQUESTED"))
                .body("lines[0].sku", equalTo("MUG-BLK-12"))
                .extract()
                .path("returnId");

        // The supplier refuses; support overrules it; the amount is fixed then: 6.20 less 10% (0.62) plus half the
        // shipping (1.75) = 7.33.
        given().auth()
                .oauth2(TestTokens.supplier("sl-other"))
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"no\"}")
                .post(path + "/" + id + "/refuse")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(supplierToken)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"used item\"}")
                .post(path + "/" + id + "/refuse")
                .then()
                .statusCode(200)
                .body("status", equalTo("REFUSED"));
        given().auth()
                .oauth2(supplierToken)
                .contentType(ContentType.JSON)
                .body("{\"sellable\":true}")
                .post(path + "/" + id + "/received")
                .then()
                .statusCode(409);
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(
                        "{\"instructions\":\"Send it to 1 Dock Road with the prepaid label\",\"note\":\"photos show it unused\"}")
                .post(path + "/" + id + "/overrule")
                .then()
                .statusCode(200)
                .body("status", equalTo("AUTHORISED"))
                .body("amount", equalTo("7.33"))
                .body("overruledBy", containsString("support"));
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofMillis(6500))
                .untilAsserted(() -> assertTrue(
                        stripeObjects("refund", "supplierOrderId", so).isEmpty(),
                        "nothing moves before the parcel is back"));

        given().auth()
                .oauth2(supplierToken)
                .contentType(ContentType.JSON)
                .body("{\"sellable\":true}")
                .post(path + "/" + id + "/received")
                .then()
                .statusCode(200)
                .body("status", equalTo("RECEIVED"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "REFUNDED"
                        .equals(given().auth()
                                .oauth2(retailerToken)
                                .get(path + "/" + id)
                                .then()
                                .extract()
                                .path("status")));
        assertEquals(
                733,
                stripeObjects("refund", "supplierOrderId", so)
                        .get(0)
                        .get("amount")
                        .asLong());
        ObjectNode transfer = stripeObjects("transfer", "supplierOrderId", so).get(0);
        assertEquals(
                733,
                stripe().object(transfer.get("id").asText())
                        .get("amount_reversed")
                        .asLong());
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(so));
        org.apache.kafka.clients.consumer.ConsumerRecord<String, String> received =
                io.dropship.testkit.TopicProbe.await(
                        "ReturnUpdated",
                        r -> r.value().contains(id) && r.value().contains("RECEIVED"),
                        Duration.ofSeconds(30));
        io.dropship.contracts.ContractCheck.assertValid("ReturnUpdated", received.value());
        assertTrue(
                received.value().contains("\"sellable\": true")
                        || received.value().contains("\"sellable\":true"),
                received.value());
        // One unit is left to return; the whole-order return is still possible beside it.
        given().auth()
                .oauth2(retailerToken)
                .contentType(ContentType.JSON)
                .body(java.util.Map.of(
                        "supplierOrderId",
                        so,
                        "lines",
                        List.of(java.util.Map.of("lineId", "466157049", "quantity", 2)),
                        "reason",
                        "again"))
                .post(path)
                .then()
                .statusCode(409);
        given().auth().oauth2(supplierToken).get(path).then().statusCode(200).body("size()", equalTo(1));
    }
}
