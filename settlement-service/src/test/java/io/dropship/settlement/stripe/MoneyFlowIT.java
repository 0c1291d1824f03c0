package io.dropship.settlement.stripe;

import static io.dropship.testkit.Events.example;
import static io.dropship.testkit.Events.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.fakestores.FakeStripe;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Rows;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The money of the order flow against the fake of Stripe's API: the saga's events go through the real broker, the
 * ledger into the real database, stripe-java's calls to the fake over HTTP, Stripe's webhooks signed as Stripe signs.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class MoneyFlowIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String WEBHOOK_SECRET = "whsec_settlement_tests";

    static void reserved(String orderId, String soId, String retailer, String supplier, String wholesale, int together)
            throws Exception {
        publish("StockReserved", orderId, reservation(orderId, soId, retailer, supplier, wholesale, together));
    }

    static ObjectNode reservation(
            String orderId, String soId, String retailer, String supplier, String wholesale, int together)
            throws Exception {
        return example("StockReserved")
                .put("orderId", orderId)
                .put("supplierOrderId", soId)
                .put("retailerId", retailer)
                .put("supplierId", supplier)
                .put("wholesaleTotal", wholesale)
                .put("shippingCost", "3.50")
                .put("routedTogether", together);
    }

    static String shipped(String orderId, String soId, String retailer, String supplier) throws Exception {
        ObjectNode e = example("Shipped")
                .put("orderId", orderId)
                .put("supplierOrderId", soId)
                .put("shipmentId", UUID.randomUUID().toString())
                .put("retailerId", retailer)
                .put("supplierId", supplier)
                .put("shippedAt", Instant.now().toString());
        publish("Shipped", orderId, e);
        return e.toString();
    }

    static FakeStripe stripe() {
        return FakeStripeTestResource.stripe();
    }

    static void payingRetailer(String retailer, String method) {
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"billing@shop.test\",\"paymentMethodId\":\"" + method + "\"}")
                .put("/api/billing/payment-method")
                .then()
                .statusCode(200);
    }

    /** The supplier's connected account; onboarded: Stripe said so with account.updated. */
    static String connectedSupplier(String supplier, boolean onboarded) {
        String account = given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"email\":\"payouts@" + supplier + ".test\"}")
                .post("/api/billing/connect")
                .then()
                .statusCode(200)
                .extract()
                .path("accountId");
        if (onboarded) {
            onboarded(account, Instant.now().getEpochSecond());
        }
        return account;
    }

    static void onboarded(String account, long created) {
        ObjectNode a = JSON.createObjectNode()
                .put("id", account)
                .put("object", "account")
                .put("charges_enabled", true)
                .put("payouts_enabled", true)
                .put("details_submitted", true);
        a.putObject("capabilities").put("transfers", "active");
        webhook(event("account.updated", a, created, null)).then().statusCode(200);
    }

    static String event(String type, ObjectNode object, long created, String account) {
        ObjectNode e = JSON.createObjectNode()
                .put("id", "evt_" + UUID.randomUUID().toString().replace("-", ""))
                .put("object", "event")
                .put("api_version", com.stripe.Stripe.API_VERSION)
                .put("created", created)
                .put("livemode", false)
                .put("pending_webhooks", 1)
                .put("type", type);
        if (account != null) {
            e.put("account", account);
        }
        e.putObject("data").set("object", object);
        e.putObject("request").putNull("id").putNull("idempotency_key");
        return e.toString();
    }

    static io.restassured.response.Response webhook(String payload) {
        return given().contentType("application/json; charset=utf-8")
                .header(
                        "Stripe-Signature",
                        FakeStripe.sign(WEBHOOK_SECRET, payload, Instant.now().getEpochSecond()))
                .body(payload)
                .post("/webhooks/stripe");
    }

    static List<ObjectNode> stripeObjects(String type, String metadataKey, String value) {
        return stripe().objects(type).stream()
                .filter(o -> value.equals(o.at("/metadata/" + metadataKey).asText()))
                .toList();
    }

    static JsonNode settled(String orderId, String soId) {
        ConsumerRecord<String, String> r = TopicProbe.await(
                "Settled", x -> orderId.equals(x.key()) && x.value().contains(soId), Duration.ofSeconds(60));
        ContractCheck.assertValid("Settled", r.value());
        return TopicProbe.json(r);
    }

    @Test
    void anOrderSplitAcrossTwoSuppliersIsChargedOnceAndEachSupplierIsPaidWhenItShipsAndCanBePaid() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soA = UUID.randomUUID().toString();
        String soB = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supA = "sa-" + UUID.randomUUID().toString().substring(0, 8);
        String supB = "sb-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        String accountA = connectedSupplier(supA, true);
        String accountB = connectedSupplier(supB, false);

        reserved(orderId, soA, retailer, supA, "12.40", 2);
        // A's reservation is in; with B's still to come there is no payment to take, so nothing can be charged.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Rows.value(
                                "select reservation from supplier_order_account"
                                        + " where supplier_order_id = cast(? as uuid)",
                                soA)
                        != null);
        assertEquals(
                0L,
                ((Number) Rows.value("select count(*) from payment where order_id = cast(? as uuid)", orderId))
                        .longValue());
        assertTrue(
                stripeObjects("payment_intent", "orderId", orderId).isEmpty(),
                "no charge before the whole routing is reserved");
        reserved(orderId, soB, retailer, supB, "20.00", 2);

        // BASIC: 0.50 + 5% of 15.90 = 1.295 -> 1.30 -> 17.20; 0.50 + 5% of 23.50 = 1.675 -> 1.68 -> 25.18. One charge:
        // 42.38.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stripeObjects("payment_intent", "orderId", orderId).size() == 1);
        ObjectNode pi = stripeObjects("payment_intent", "orderId", orderId).get(0);
        assertEquals(4238, pi.get("amount").asLong());
        assertEquals("succeeded", pi.get("status").asText());
        assertEquals(orderId, pi.get("transfer_group").asText());
        String charge = pi.get("latest_charge").asText();
        // Stripe has answered; the Stripe calls job records the answer in its own transaction right after.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/billing/payments")
                        .then()
                        .statusCode(200)
                        .body("items[0].status", equalTo("SUCCEEDED")));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/billing/payments")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].status", equalTo("SUCCEEDED"))
                .body("items[0].amount", equalTo("42.38"))
                .body("items[0].chargeId", equalTo(charge));
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/invoices/" + orderId)
                .then()
                .statusCode(200)
                .body("lines", hasSize(2))
                .body("total", equalTo("42.38"));

        // A ships (delivered twice): one transfer from the charge to A's account, and Settled with the amounts.
        String shipment = shipped(orderId, soA, retailer, supA);
        TopicProbe.send("Shipped", orderId, shipment, Map.of("id", "dup-" + soA, "eventType", "Shipped"));
        JsonNode settledA = settled(orderId, soA);
        assertEquals("1.30", settledA.get("platformFee").asText());
        assertEquals("15.90", settledA.get("supplierPayout").asText());
        assertEquals("17.20", settledA.get("retailerCharge").asText());
        assertEquals(charge, settledA.get("chargeId").asText());
        List<ObjectNode> transfersA = stripeObjects("transfer", "supplierOrderId", soA);
        assertEquals(1, transfersA.size());
        assertEquals(1590, transfersA.get(0).get("amount").asLong());
        assertEquals(accountA, transfersA.get(0).get("destination").asText());
        assertEquals(charge, transfersA.get(0).get("source_transaction").asText());
        assertEquals(orderId, transfersA.get(0).get("transfer_group").asText());
        assertEquals(
                transfersA.get(0).get("id").asText(), settledA.get("transferId").asText());

        // B ships before finishing onboarding: its money waits, and goes once Stripe says the account can be paid.
        shipped(orderId, soB, retailer, supB);
        // The desk took B's money up and put it back: that is the proof it looked, and it sent nothing.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> String.valueOf(Rows.value(
                                "select money_error from supplier_order_account"
                                        + " where supplier_order_id = cast(? as uuid)",
                                soB))
                        .contains("not finished Stripe onboarding"));
        assertTrue(stripeObjects("transfer", "supplierOrderId", soB).isEmpty());
        onboarded(accountB, Instant.now().getEpochSecond());
        JsonNode settledB = settled(orderId, soB);
        assertEquals("23.50", settledB.get("supplierPayout").asText());
        assertEquals(
                2350,
                stripeObjects("transfer", "supplierOrderId", soB)
                        .get(0)
                        .get("amount")
                        .asLong());

        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(soA));
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(soB));
        assertEquals(
                0,
                ((BigDecimal) Rows.value(
                                "select sum(debit) - sum(credit) from ledger_entry where account = 'RETAILER_RECEIVABLE'"
                                        + " and supplier_order_id in (cast(? as uuid), cast(? as uuid))",
                                soA,
                                soB))
                        .signum(),
                "the retailer owes nothing");
        assertEquals(
                0,
                ((BigDecimal) Rows.value(
                                "select sum(debit) - sum(credit) from ledger_entry where account = 'SUPPLIER_PAYABLE'"
                                        + " and supplier_order_id in (cast(? as uuid), cast(? as uuid))",
                                soA,
                                soB))
                        .signum(),
                "the suppliers are owed nothing");
        // Once the redelivered Shipped is consumed, what was published is final: the outbox holds every event written.
        io.dropship.testkit.Outboxes.awaitConsumed("settlement-service.shipped", "dup-" + soA);
        assertEquals(
                1,
                io.dropship.testkit.Outboxes.publishedContaining("Settled", orderId, soA),
                "a redelivered Shipped settles nothing twice");
    }

    @Test
    void aShipmentThatArrivesBeforeItsAmountsSettlesWhenTheyArriveAtThePlansFee() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"plan\":\"ENTERPRISE\"}")
                .put("/api/retailers/" + retailer + "/plan")
                .then()
                .statusCode(200);

        shipped(orderId, soId, retailer, supplier);
        reserved(orderId, soId, retailer, supplier, "12.40", 1);

        JsonNode settled = settled(orderId, soId);
        // ENTERPRISE's fee as it stands (other tests change it): fixed + percent of 15.90, rounded half-up once.
        Map<String, Object> rule = given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/fee-rules")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("items.find { it.plan == 'ENTERPRISE' }");
        BigDecimal fee = new BigDecimal(String.valueOf(rule.get("fixedFee")))
                .add(new BigDecimal("15.90")
                        .multiply(new BigDecimal(String.valueOf(rule.get("percent"))))
                        .movePointLeft(2))
                .setScale(2, java.math.RoundingMode.HALF_UP);
        assertEquals(fee.toPlainString(), settled.get("platformFee").asText());
        assertEquals(
                fee.add(new BigDecimal("15.90")).toPlainString(),
                settled.get("retailerCharge").asText());
        assertEquals(
                fee.add(new BigDecimal("15.90")).movePointRight(2).longValueExact(),
                stripeObjects("payment_intent", "orderId", orderId)
                        .get(0)
                        .get("amount")
                        .asLong());
    }

    @Test
    void aDeclinedCardPutsThePaymentOnHoldTellsTheRetailerRetriesAndANewCardPays() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_chargeDeclinedInsufficientFunds");
        connectedSupplier(supplier, true);
        reserved(orderId, soId, retailer, supplier, "12.40", 1);

        ConsumerRecord<String, String> failed =
                TopicProbe.await("PaymentFailed", r -> orderId.equals(r.key()), Duration.ofSeconds(30));
        ContractCheck.assertValid("PaymentFailed", failed.value());
        JsonNode f = TopicProbe.json(failed);
        assertEquals("insufficient_funds", f.get("declineCode").asText());
        assertEquals("17.20", f.get("amount").asText());
        assertEquals(soId, f.at("/supplierOrderIds/0").asText(), "fulfillment holds the supplier orders it names");
        assertTrue(f.hasNonNull("nextAttemptAt"), "tried again on the schedule");
        // The schedule (1 s, 1 s in tests) runs out: two more declines, then it waits for the retailer.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TopicProbe.collect("PaymentFailed", r -> orderId.equals(r.key()), 3, Duration.ofSeconds(1))
                                .size()
                        == 3);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/billing/payments?status=ON_HOLD")
                .then()
                .statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].declineCode", equalTo("insufficient_funds"))
                .body("items[0].lastError", org.hamcrest.Matchers.containsString("declined"))
                .body("items[0].nextAttemptAt", org.hamcrest.Matchers.nullValue());
        String paymentId = given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/billing/payments")
                .then()
                .extract()
                .path("items[0].paymentId");
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .post("/api/billing/payments/" + paymentId + "/retry")
                .then()
                .statusCode(404);
        // Retrying charges a card: support reads payments but cannot charge.
        given().auth()
                .oauth2(TestTokens.support())
                .post("/api/billing/payments/" + paymentId + "/retry")
                .then()
                .statusCode(403);
        assertEquals(
                3,
                stripeObjects("payment_intent", "orderId", orderId).size(),
                "one PaymentIntent per attempt, each declined");
        assertEquals(
                0,
                io.dropship.testkit.Outboxes.published("PaymentCleared", orderId),
                "nothing goes to the supplier unpaid");

        // Shipping before the money is in pays no one.
        shipped(orderId, soId, retailer, supplier);
        // Shipped is recorded, and with the payment not taken nothing is due for the Stripe calls job: nothing can be
        // transferred.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Rows.value(
                                "select shipped_at from supplier_order_account"
                                        + " where supplier_order_id = cast(? as uuid)",
                                soId)
                        != null);
        assertEquals(
                null,
                Rows.value(
                        "select money_next_at from supplier_order_account where supplier_order_id = cast(? as uuid)",
                        soId));
        assertTrue(stripeObjects("transfer", "supplierOrderId", soId).isEmpty());

        // A new card: the payment on hold is taken at once, then the supplier is paid.
        payingRetailer(retailer, "pm_card_visa");
        settled(orderId, soId);
        ConsumerRecord<String, String> cleared =
                TopicProbe.await("PaymentCleared", r -> orderId.equals(r.key()), Duration.ofSeconds(30));
        ContractCheck.assertValid("PaymentCleared", cleared.value());
        assertEquals("CHARGED", TopicProbe.json(cleared).get("basis").asText());
        assertEquals(soId, TopicProbe.json(cleared).at("/supplierOrderIds/0").asText());
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/billing/payments")
                .then()
                .body("items[0].status", equalTo("SUCCEEDED"))
                .body("items[0].lastError", org.hamcrest.Matchers.nullValue());
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .post("/api/billing/payments/" + paymentId + "/retry")
                .then()
                .statusCode(409);
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(soId));
    }

    @Test
    void aSupplierOrderCancelledAfterTheChargeIsRefundedItsShareAndOneNeverChargedIsNeverTaken() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soA = UUID.randomUUID().toString();
        String soB = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        reserved(orderId, soA, retailer, supplier, "12.40", 2);
        reserved(orderId, soB, retailer, supplier, "20.00", 2);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stripeObjects("payment_intent", "orderId", orderId).size() == 1);
        String charge = stripeObjects("payment_intent", "orderId", orderId)
                .get(0)
                .get("latest_charge")
                .asText();

        publish(
                "SupplierOrderCancelled",
                orderId,
                example("SupplierOrderCancelled")
                        .put("orderId", orderId)
                        .put("supplierOrderId", soB)
                        .put("supplierId", supplier));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stripeObjects("refund", "supplierOrderId", soB).size() == 1);
        ObjectNode refund = stripeObjects("refund", "supplierOrderId", soB).get(0);
        assertEquals(2518, refund.get("amount").asLong());
        assertEquals(charge, refund.get("charge").asText());
        // The order's timeline hears of the refund.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> io.dropship.testkit.Outboxes.publishedContaining(
                                "OrderActivity", orderId, "Refunded 25.18 USD to the retailer")
                        == 1);
        assertEquals(2518, stripe().object(charge).get("amount_refunded").asLong());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "25.18"
                        .equals(String.valueOf(
                                Rows.value("select refunded from payment where id = cast(? as uuid)", orderId))));
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(soB));
        // Stripe's charge.refunded says the same running total: nothing is counted twice.
        ObjectNode refundedCharge = stripe().object(charge);
        webhook(event("charge.refunded", refundedCharge, Instant.now().getEpochSecond(), null))
                .then()
                .statusCode(200);
        assertEquals(
                "25.18",
                String.valueOf(Rows.value("select refunded from payment where id = cast(? as uuid)", orderId)));
        // A's share stays charged and A is still paid when it ships.
        shipped(orderId, soA, retailer, supplier);
        assertEquals("15.90", settled(orderId, soA).get("supplierPayout").asText());

        // An order whose payment never went through, cancelled whole: nothing is ever taken.
        String order2 = UUID.randomUUID().toString();
        String so2 = UUID.randomUUID().toString();
        String retailer2 = "ret-" + UUID.randomUUID();
        reserved(order2, so2, retailer2, supplier, "12.40", 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        "ON_HOLD".equals(Rows.value("select status from payment where id = cast(? as uuid)", order2)));
        assertTrue(String.valueOf(Rows.value("select last_error from payment where id = cast(? as uuid)", order2))
                .contains("no payment method"));
        publish(
                "SupplierOrderCancelled",
                order2,
                example("SupplierOrderCancelled")
                        .put("orderId", order2)
                        .put("supplierOrderId", so2)
                        .put("supplierId", supplier));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "CANCELLED"
                        .equals(Rows.value("select status from payment where id = cast(? as uuid)", order2)));
        payingRetailer(retailer2, "pm_card_visa");
        // A new card takes the retailer's held payments; a cancelled one is not held, so it stays untaken.
        assertEquals("CANCELLED", Rows.value("select status from payment where id = cast(? as uuid)", order2));
        assertTrue(stripeObjects("payment_intent", "orderId", order2).isEmpty());
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(so2));
    }

    @Test
    void aTransferRateLimitedOrRefusedForTheBalanceIsTriedAgainUnderTheSameKeyAndPaysOnce() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        reserved(orderId, soId, retailer, supplier, "12.40", 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "SUCCEEDED"
                        .equals(Rows.value("select status from payment where id = cast(? as uuid)", orderId)));
        // Aimed at this supplier order's transfer: the Stripe calls job's calls for other tests pass meanwhile.
        Map<String, String> thisTransfer = Map.of("metadata[supplierOrderId]", soId);
        stripe().failNextOn("transfers", thisTransfer, 429)
                .failNextOn(
                        "transfers",
                        thisTransfer,
                        400,
                        "invalid_request_error",
                        "balance_insufficient",
                        "You have insufficient available funds in your Stripe account.");
        shipped(orderId, soId, retailer, supplier);
        settled(orderId, soId);
        assertEquals(1, stripeObjects("transfer", "supplierOrderId", soId).size());
        assertTrue(
                (Integer) Rows.value(
                                "select money_attempts from supplier_order_account where supplier_order_id = cast(? as uuid)",
                                soId)
                        >= 3,
                "the first call was rate limited, the second refused for the balance");
        // What ops see: the Stripe calls job's Stripe calls by outcome, and what is waiting.
        String metrics = io.dropship.testkit.Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        for (String outcome : List.of("ok", "retry", "refused")) {
            assertTrue(
                    metrics.contains("dropship_stripe_calls_total{kind=\"transfer\",outcome=\"" + outcome + "\"}"),
                    outcome);
        }
        assertTrue(metrics.contains("dropship_settlement_payments{status=\"ON_HOLD\"}"), "the payments on hold gauge");
        assertTrue(metrics.contains("dropship_settlement_transfers_waiting "), "the waiting transfers gauge");
    }

    /**
     * The charge, a cancellation (refund) and a shipment (transfer) of one order arrive together, several orders over:
     * the events are published at once, while the Stripe calls job is taking the payment. Whatever order they are applied in, the
     * retailer is charged once and ends up paying exactly the shipped supplier order's share, the shipped supplier is
     * paid once, the cancelled one never, and every supplier order's ledger balances.
     */
    @Test
    void aChargeACancellationAndAShipmentArrivingTogetherMoveEachAmountOnce() throws Exception {
        String supplier = "sr-" + UUID.randomUUID().toString().substring(0, 8);
        connectedSupplier(supplier, true);
        List<String[]> orders = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String[] o = {
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                UUID.randomUUID().toString(),
                "ret-" + UUID.randomUUID()
            };
            payingRetailer(o[3], "pm_card_visa");
            orders.add(o);
        }
        for (String[] o : orders) {
            reserved(o[0], o[1], o[3], supplier, "12.40", 2);
            reserved(o[0], o[2], o[3], supplier, "20.00", 2);
            shipped(o[0], o[1], o[3], supplier);
            publish(
                    "SupplierOrderCancelled",
                    o[0],
                    example("SupplierOrderCancelled")
                            .put("orderId", o[0])
                            .put("supplierOrderId", o[2])
                            .put("supplierId", supplier));
        }
        for (String[] o : orders) {
            settled(o[0], o[1]);
            // Cancelled, and refunded unless it was never invoiced (the cancellation came before the invoice).
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> Rows.value(
                                    "select count(*) from supplier_order_account"
                                            + " where supplier_order_id = cast(? as uuid) and status = 'CANCELLED'"
                                            + " and (refund_id is not null or retailer_charge is null)",
                                    o[2])
                            .equals(1L));
            List<ObjectNode> charges = stripeObjects("payment_intent", "orderId", o[0]);
            assertEquals(1, charges.size(), "one charge for order " + o[0]);
            long refunded = stripeObjects("refund", "orderId", o[0]).stream()
                    .mapToLong(r -> r.get("amount").asLong())
                    .sum();
            assertEquals(
                    1720, charges.get(0).get("amount").asLong() - refunded, "the retailer pays the shipped share only");
            assertTrue(stripeObjects("refund", "supplierOrderId", o[2]).size() <= 1, "refunded at most once");
            assertEquals(
                    1,
                    stripeObjects("transfer", "supplierOrderId", o[1]).size(),
                    "the shipped supplier order is paid once");
            assertEquals(
                    1590,
                    stripeObjects("transfer", "supplierOrderId", o[1])
                            .get(0)
                            .get("amount")
                            .asLong());
            assertTrue(stripeObjects("transfer", "supplierOrderId", o[2]).isEmpty(), "the cancelled one is never paid");
            assertEquals(BigDecimal.ZERO.setScale(2), imbalance(o[1]));
        }
    }

    @Test
    void aChargeATransferAndARefundWhoseAnswersWereLostAreEachMadeOnce() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soA = UUID.randomUUID().toString();
        String soB = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sl-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        // Each call takes effect at Stripe and its connection closes before the answer: the Stripe calls job cannot
        // know.
        stripe().loseNextAnswerOn("payment_intents", Map.of("metadata[orderId]", orderId))
                .loseNextAnswerOn("transfers", Map.of("metadata[supplierOrderId]", soA))
                .loseNextAnswerOn("refunds", Map.of("metadata[supplierOrderId]", soB));
        reserved(orderId, soA, retailer, supplier, "12.40", 2);
        reserved(orderId, soB, retailer, supplier, "20.00", 2);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "SUCCEEDED"
                        .equals(Rows.value("select status from payment where id = cast(? as uuid)", orderId)));
        shipped(orderId, soA, retailer, supplier);
        settled(orderId, soA);
        publish(
                "SupplierOrderCancelled",
                orderId,
                example("SupplierOrderCancelled")
                        .put("orderId", orderId)
                        .put("supplierOrderId", soB)
                        .put("supplierId", supplier));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> stripeObjects("refund", "supplierOrderId", soB).size() == 1
                        && BigDecimal.ZERO.setScale(2).equals(imbalance(soB)));

        assertEquals(1, stripeObjects("payment_intent", "orderId", orderId).size(), "one charge");
        assertEquals(
                4238,
                stripeObjects("payment_intent", "orderId", orderId)
                        .get(0)
                        .get("amount")
                        .asLong());
        assertEquals(1, stripeObjects("transfer", "supplierOrderId", soA).size(), "one transfer");
        assertEquals(1, stripeObjects("refund", "supplierOrderId", soB).size(), "one refund");
        assertEquals(
                2518,
                stripeObjects("refund", "supplierOrderId", soB)
                        .get(0)
                        .get("amount")
                        .asLong());
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(soA));
        // Each retry carried the first call's idempotency key, and Stripe answered it from the first call.
        for (String route : List.of("payment_intents", "transfers", "refunds")) {
            List<io.dropship.fakestores.FakeStores.Call> calls =
                    FakeStripeTestResource.fakes().calls("/stripe/v1/" + route).stream()
                            .filter(c -> c.method().equals("POST")
                                    && (c.body().contains(orderId)
                                            || c.body().contains(soA)
                                            || c.body().contains(soB)))
                            .toList();
            assertEquals(2, calls.size(), route + ": the lost call and its retry");
            assertEquals(-1, calls.get(0).status(), route + ": the first answer was lost");
            assertEquals(calls.get(0).header("Idempotency-Key"), calls.get(1).header("Idempotency-Key"), route);
        }
    }

    @Test
    void aBurstOfReservationsIsChargedTogetherEachOnceWithItsOwnOutcome() throws Exception {
        String paying = "ret-" + UUID.randomUUID();
        String declining = "ret-" + UUID.randomUUID();
        String methodless = "ret-" + UUID.randomUUID();
        String supplier = "sr-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(paying, "pm_card_visa");
        payingRetailer(declining, "pm_card_chargeDeclined");
        List<String> orders = java.util.stream.Stream.generate(
                        () -> UUID.randomUUID().toString())
                .limit(10)
                .toList();
        String declined = UUID.randomUUID().toString();
        String noMethod = UUID.randomUUID().toString();
        // Among the charges made together, one whose answer is lost and one Stripe rate-limits: each is made again
        // under its own key while the others go on.
        stripe().loseNextAnswerOn("payment_intents", Map.of("metadata[orderId]", orders.get(3)))
                .failNextOn("payment_intents", Map.of("metadata[orderId]", orders.get(6)), 429);
        // One burst through one producer, with an unreadable reservation and one that lacks its retailer among them:
        // those two go to the dead-letter topic alone.
        String unreadable = UUID.randomUUID().toString();
        String lacking = UUID.randomUUID().toString();
        List<Map.Entry<String, String>> burst = new java.util.ArrayList<>();
        for (String order : orders.subList(0, 5)) {
            burst.add(Map.entry(
                    order,
                    reservation(order, UUID.randomUUID().toString(), paying, supplier, "10.00", 1)
                            .toString()));
        }
        burst.add(Map.entry(unreadable, "{\"orderId\": \"" + unreadable + "\", "));
        ObjectNode noRetailer = reservation(lacking, UUID.randomUUID().toString(), paying, supplier, "10.00", 1);
        noRetailer.remove("retailerId");
        burst.add(Map.entry(lacking, noRetailer.toString()));
        for (String order : orders.subList(5, orders.size())) {
            burst.add(Map.entry(
                    order,
                    reservation(order, UUID.randomUUID().toString(), paying, supplier, "10.00", 1)
                            .toString()));
        }
        burst.add(Map.entry(
                declined,
                reservation(declined, UUID.randomUUID().toString(), declining, supplier, "10.00", 1)
                        .toString()));
        burst.add(Map.entry(
                noMethod,
                reservation(noMethod, UUID.randomUUID().toString(), methodless, supplier, "10.00", 1)
                        .toString()));
        TopicProbe.sendAll("StockReserved", burst);

        await().atMost(Duration.ofSeconds(60))
                .until(() -> Rows.count(
                                        "select count(*) from payment where status = 'SUCCEEDED' and order_id = any(cast(? as uuid[]))",
                                        (Object) orders.toArray(String[]::new))
                                == orders.size()
                        && Rows.count(
                                        "select count(*) from payment where status = 'ON_HOLD' and order_id in (cast(? as uuid), cast(? as uuid))",
                                        declined,
                                        noMethod)
                                == 2);
        for (String order : orders) {
            List<ObjectNode> intents = stripeObjects("payment_intent", "orderId", order);
            assertEquals(1, intents.size(), order + ": one charge");
            assertEquals("succeeded", intents.get(0).get("status").asText());
            BigDecimal amount =
                    (BigDecimal) Rows.value("select amount from payment where order_id = cast(? as uuid)", order);
            assertEquals(
                    amount.movePointRight(2).longValueExact(),
                    intents.get(0).get("amount").asLong(),
                    order);
            assertEquals(paying, intents.get(0).at("/metadata/retailerId").asText());
            assertEquals(1, io.dropship.testkit.Outboxes.publishedContaining("PaymentCleared", order, order), order);
        }
        assertEquals(
                "generic_decline",
                Rows.value("select decline_code from payment where order_id = cast(? as uuid)", declined));
        assertTrue(
                String.valueOf(Rows.value("select last_error from payment where order_id = cast(? as uuid)", noMethod))
                        .contains("no payment method saved"));
        assertTrue(stripeObjects("payment_intent", "orderId", noMethod).isEmpty(), "no charge without a method");
        assertEquals(0, io.dropship.testkit.Outboxes.publishedContaining("PaymentCleared", declined, declined));
        // Told of the decline (again after each of the tests' one-second retries) and of the missing method.
        assertTrue(io.dropship.testkit.Outboxes.publishedContaining("PaymentFailed", declined, "generic_decline") >= 1);
        assertEquals(1, io.dropship.testkit.Outboxes.publishedContaining("PaymentFailed", noMethod, noMethod));
        for (String bad : List.of(unreadable, lacking)) {
            TopicProbe.await("StockReserved.settlement-service.DLT", r -> bad.equals(r.key()), Duration.ofSeconds(30));
            assertEquals(
                    0L,
                    Rows.count("select count(*) from supplier_order_account where order_id = cast(? as uuid)", bad),
                    "nothing of a dead-lettered reservation is kept");
        }
    }

    @Test
    void theInvoiceComesAsJsonAndAsAPdfInTheRetailersBranding() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soA = UUID.randomUUID().toString();
        String soB = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.retailer(retailer);
        payingRetailer(retailer, "pm_card_visa");
        given().auth().oauth2(token).get("/api/billing/branding").then().statusCode(404);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"businessName\":\"Łódź Home Café 東京\","
                        + "\"addressLines\":[\"12 Market Street\",\"Springfield, IL 62701\"],\"taxId\":\"US-99-1234567\","
                        + "\"accentColor\":\"#aa3311\",\"footer\":\"Thank you for shopping with us.\"}")
                .put("/api/billing/branding")
                .then()
                .statusCode(200)
                .body("accentColor", equalTo("#AA3311"));
        // Announced for the packing slips fulfillment-service prints in the retailer's name.
        ConsumerRecord<String, String> announced =
                TopicProbe.await("RetailerBrandingChanged", r -> retailer.equals(r.key()), Duration.ofSeconds(30));
        ContractCheck.assertValid("RetailerBrandingChanged", announced.value());
        assertEquals("#AA3311", TopicProbe.json(announced).get("accentColor").asText());
        // Bad branding: no name, a colour that is not one, too many address lines, malformed JSON.
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"businessName\":\" \"}")
                .put("/api/billing/branding")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"businessName\":\"A\",\"accentColor\":\"red\"}")
                .put("/api/billing/branding")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"businessName\":\"A\",\"addressLines\":[\"1\",\"2\",\"3\",\"4\",\"5\",\"6\"]}")
                .put("/api/billing/branding")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"businessName\":")
                .put("/api/billing/branding")
                .then()
                .statusCode(400);

        reserved(orderId, soA, retailer, supplier, "12.40", 2);
        reserved(orderId, soB, retailer, supplier, "20.00", 2);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "SUCCEEDED"
                        .equals(Rows.value("select status from payment where id = cast(? as uuid)", orderId)));
        publish(
                "SupplierOrderCancelled",
                orderId,
                example("SupplierOrderCancelled")
                        .put("orderId", orderId)
                        .put("supplierOrderId", soB)
                        .put("supplierId", supplier));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Rows.value(
                                "select refund_id from supplier_order_account"
                                        + " where supplier_order_id = cast(? as uuid)",
                                soB)
                        != null);

        given().auth()
                .oauth2(token)
                .get("/api/invoices/" + orderId)
                .then()
                .statusCode(200)
                .body("lines", hasSize(2))
                .body("total", equalTo("42.38"))
                .body("refunded", equalTo("25.18"))
                .body("paymentStatus", equalTo("PAID"))
                .body("branding.businessName", equalTo("Łódź Home Café 東京"))
                .body("lines.find { it.supplierOrderId == '" + soB + "' }.status", equalTo("CANCELLED"));
        io.restassured.response.Response pdf = given().auth().oauth2(token).get("/api/invoices/" + orderId + "/pdf");
        pdf.then().statusCode(200).contentType("application/pdf");
        byte[] bytes = pdf.asByteArray();
        assertEquals("%PDF", new String(bytes, 0, 4, java.nio.charset.StandardCharsets.US_ASCII));
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(bytes)) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertTrue(text.contains("Łódź Home Café ??"), text);
            assertTrue(text.contains("Tax id: US-99-1234567"), text);
            assertTrue(text.contains("Invoice DS-20261123-0001"), text);
            assertTrue(text.contains("42.38") && text.contains("-25.18") && text.contains("17.20"), text);
            assertTrue(text.contains("Payment: PAID") && text.contains("Thank you for shopping with us."), text);
        }
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .get("/api/invoices/" + orderId + "/pdf")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/invoices/" + orderId + "/pdf")
                .then()
                .statusCode(200);
    }

    @Test
    void pastThePlansMonthlyOrderLimitOrdersCarryTheBasicFee() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"plan\":\"PRO\"}")
                .put("/api/retailers/" + retailer + "/plan")
                .then()
                .statusCode(200);
        Map<String, Object> pro = given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/fee-rules")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getMap("items.find { it.plan == 'PRO' }");
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"fixedFee\":\"0.30\",\"percent\":\"2\",\"monthlyOrderLimit\":1}")
                .put("/api/fee-rules/PRO")
                .then()
                .statusCode(200);
        try {
            String first = UUID.randomUUID().toString();
            String second = UUID.randomUUID().toString();
            reserved(first, UUID.randomUUID().toString(), retailer, supplier, "12.40", 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Rows.value("select status from payment where id = cast(? as uuid)", first) != null);
            reserved(second, UUID.randomUUID().toString(), retailer, supplier, "12.40", 1);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> Rows.value("select status from payment where id = cast(? as uuid)", second) != null);
            // PRO: 0.30 + 2% of 15.90 = 0.618 -> 0.62; the second order is past the limit of 1: BASIC's 1.30.
            String token = TestTokens.retailer(retailer);
            given().auth()
                    .oauth2(token)
                    .get("/api/invoices/" + first)
                    .then()
                    .statusCode(200)
                    .body("lines[0].platformFee", equalTo("0.62"))
                    .body("lines[0].plan", equalTo("PRO"))
                    .body("lines[0].overLimit", equalTo(false));
            given().auth()
                    .oauth2(token)
                    .get("/api/invoices/" + second)
                    .then()
                    .statusCode(200)
                    .body("lines[0].platformFee", equalTo("1.30"))
                    .body("lines[0].plan", equalTo("BASIC"))
                    .body("lines[0].overLimit", equalTo(true))
                    .body("total", equalTo("17.20"));
            given().auth()
                    .oauth2(token)
                    .get("/api/billing/usage")
                    .then()
                    .statusCode(200)
                    .body("plan", equalTo("PRO"))
                    .body("monthlyOrderLimit", equalTo(1))
                    .body("ordersThisMonth", equalTo(2))
                    .body("overLimit", equalTo(1));
            given().auth()
                    .oauth2(TestTokens.admin())
                    .get("/api/billing/usage")
                    .then()
                    .statusCode(400);
            given().auth()
                    .oauth2(token)
                    .queryParam("retailerId", "ret-other")
                    .get("/api/billing/usage")
                    .then()
                    .statusCode(403);
        } finally {
            given().auth()
                    .oauth2(TestTokens.admin())
                    .contentType(ContentType.JSON)
                    .body("{\"fixedFee\":\"" + pro.get("fixedFee") + "\",\"percent\":\"" + pro.get("percent")
                            + "\",\"monthlyOrderLimit\":" + pro.get("monthlyOrderLimit") + "}")
                    .put("/api/fee-rules/PRO")
                    .then()
                    .statusCode(200);
        }
    }

    @Test
    void aReshipAtNoChargeIsClearedAtOnceNeverChargedAndItsSupplierIsNotPaidForIt() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String so = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sn-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        publish(
                "StockReserved",
                orderId,
                example("StockReserved")
                        .put("orderId", orderId)
                        .put("supplierOrderId", so)
                        .put("retailerId", retailer)
                        .put("supplierId", supplier)
                        .put("wholesaleTotal", "12.40")
                        .put("shippingCost", "3.50")
                        .put("attempt", 3)
                        .put("routedTogether", 1)
                        .put("noCharge", true)
                        .put("reshipOf", UUID.randomUUID().toString()));
        org.apache.kafka.clients.consumer.ConsumerRecord<String, String> cleared = io.dropship.testkit.TopicProbe.await(
                "PaymentCleared", r -> orderId.equals(r.key()), Duration.ofSeconds(30));
        io.dropship.contracts.ContractCheck.assertValid("PaymentCleared", cleared.value());
        assertTrue(cleared.value().contains("NO_CHARGE") && cleared.value().contains(so), cleared.value());
        shipped(orderId, so, retailer, supplier);
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofMillis(7000)).untilAsserted(() -> {
            assertTrue(stripeObjects("payment_intent", "orderId", orderId).isEmpty(), "never charged");
            assertTrue(stripeObjects("transfer", "supplierOrderId", so).isEmpty(), "never paid out");
        });
        assertEquals(
                "NO_CHARGE",
                Rows.value("select status from supplier_order_account where supplier_order_id = cast(? as uuid)", so));
    }

    static BigDecimal imbalance(String soId) throws Exception {
        return (BigDecimal) Rows.value(
                "select coalesce(sum(debit) - sum(credit), 0) from ledger_entry"
                        + " where supplier_order_id = cast(? as uuid)",
                soId);
    }
}
