package io.dropship.settlement.stripe;

import static io.dropship.settlement.stripe.MoneyFlowIT.connectedSupplier;
import static io.dropship.settlement.stripe.MoneyFlowIT.imbalance;
import static io.dropship.settlement.stripe.MoneyFlowIT.payingRetailer;
import static io.dropship.settlement.stripe.MoneyFlowIT.reserved;
import static io.dropship.settlement.stripe.MoneyFlowIT.shipped;
import static io.dropship.settlement.stripe.MoneyFlowIT.stripe;
import static io.dropship.settlement.stripe.MoneyFlowIT.stripeObjects;
import static io.dropship.testkit.Rows.value;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Card disputes from Stripe's events (the fake Stripe's {@code pm_card_createDispute}, as Stripe's test card): the
 * dispute is recorded and announced, the payment's supplier transfers wait while it is open, support submits the
 * evidence to Stripe once, and the outcome is booked; the transfers go out when it closes.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class DisputeIT {

    /** Stripe sends its events to the service here (the other test classes send theirs by hand). */
    @org.junit.jupiter.api.BeforeEach
    void stripeSendsItsEvents() {
        stripe().webhookEndpoint(
                        "http://localhost:" + io.restassured.RestAssured.port + "/webhooks/stripe",
                        MoneyFlowIT.WEBHOOK_SECRET);
    }

    @org.junit.jupiter.api.AfterEach
    void stripeStopsSending() {
        stripe().webhookEndpoint(null, null);
    }

    private record Disputed(String orderId, String so, String retailer, String supplier, String disputeId) {}

    private static Disputed disputedAndShipped() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String so = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sd-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_createDispute");
        connectedSupplier(supplier, true);
        reserved(orderId, so, retailer, supplier, "12.40", 1);
        ConsumerRecord<String, String> created =
                TopicProbe.await("PaymentDisputed", r -> orderId.equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("PaymentDisputed", created.value());
        JsonNode d = TopicProbe.json(created);
        assertEquals("CREATED", d.get("event").asText());
        assertEquals("fraudulent", d.get("reason").asText());
        shipped(orderId, so, retailer, supplier);
        return new Disputed(orderId, so, retailer, supplier, d.get("disputeId").asText());
    }

    @Test
    void anOpenDisputeHoldsTheTransfersAndEvidenceThatWinsReleasesThem() throws Exception {
        Disputed d = disputedAndShipped();
        String path = "/api/disputes/" + d.disputeId();
        String charged = String.valueOf(
                value("select cast(amount as text) from payment where order_id = cast(? as uuid)", d.orderId()));
        given().auth()
                .oauth2(TestTokens.retailer(d.retailer()))
                .get(path)
                .then()
                .statusCode(200)
                .body("status", equalTo("needs_response"))
                .body("amount", equalTo(charged))
                .body("orderId", equalTo(d.orderId()));
        given().auth().oauth2(TestTokens.retailer("ret-other")).get(path).then().statusCode(404);
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/disputes?state=open")
                .then()
                .statusCode(200)
                .body("disputeId", org.hamcrest.Matchers.hasItem(d.disputeId()));
        await().during(Duration.ofMillis(3000))
                .atMost(Duration.ofMillis(8000))
                .untilAsserted(() -> assertTrue(
                        stripeObjects("transfer", "supplierOrderId", d.so()).isEmpty(),
                        "no transfer while the dispute is open"));

        given().auth()
                .oauth2(TestTokens.retailer(d.retailer()))
                .contentType(ContentType.JSON)
                .body(Map.of("carrier", "UPS"))
                .post(path + "/evidence")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("shippingDate", "yesterday"))
                .post(path + "/evidence")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "carrier",
                        "UPS",
                        "trackingNumber",
                        "1Z999",
                        "productDescription",
                        "A black mug, 12 oz",
                        "uncategorizedText",
                        "winning_evidence"))
                .post(path + "/evidence")
                .then()
                .statusCode(200)
                .body("evidenceSubmittedBy", containsString("support"));
        JsonNode evidence = stripe().object(d.disputeId()).get("evidence");
        assertEquals("1Z999", evidence.get("shipping_tracking_number").asText());
        assertEquals("UPS", evidence.get("shipping_carrier").asText());
        assertEquals("A black mug, 12 oz", evidence.get("product_description").asText());
        assertTrue(
                evidence.get("shipping_date").asText().matches("\\d{4}-\\d{2}-\\d{2}"),
                "the shipping date the platform knows");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "WON"
                        .equals(given().auth()
                                .oauth2(TestTokens.support())
                                .get(path)
                                .then()
                                .extract()
                                .path("outcome")));
        JsonNode closed = TopicProbe.json(TopicProbe.await(
                "PaymentDisputed",
                r -> d.orderId().equals(r.key()) && r.value().contains("CLOSED"),
                Duration.ofSeconds(30)));
        assertEquals("WON", closed.get("outcome").asText());
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        stripeObjects("transfer", "supplierOrderId", d.so()).size() == 1);
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(d.so()));
        assertEquals(
                new BigDecimal(charged),
                value(
                        "select coalesce(sum(credit), 0) from ledger_entry where supplier_order_id = cast(? as uuid)"
                                + " and account = 'DISPUTED_FUNDS'",
                        d.so()),
                "the disputed funds came back");
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("carrier", "UPS"))
                .post(path + "/evidence")
                .then()
                .statusCode(409);
    }

    @Test
    void aLostDisputeIsBorneByThePlatformAndStillPaysTheSupplierOnceClosed() throws Exception {
        Disputed d = disputedAndShipped();
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("deliveryConfirmation", "signed for by J. Doe"))
                .post("/api/disputes/" + d.disputeId() + "/evidence")
                .then()
                .statusCode(200);
        assertTrue(stripe().object(d.disputeId())
                .at("/evidence/uncategorized_text")
                .asText()
                .startsWith("Delivery confirmation: signed for by J. Doe"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "under_review"
                        .equals(given().auth()
                                .oauth2(TestTokens.admin())
                                .get("/api/disputes/" + d.disputeId())
                                .then()
                                .extract()
                                .path("status")));
        stripe().closeDispute(d.disputeId(), false); // the card network decides
        await().atMost(Duration.ofSeconds(30))
                .until(() -> "LOST"
                        .equals(given().auth()
                                .oauth2(TestTokens.admin())
                                .get("/api/disputes/" + d.disputeId())
                                .then()
                                .extract()
                                .path("outcome")));
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        stripeObjects("transfer", "supplierOrderId", d.so()).size() == 1);
        String charged = String.valueOf(
                value("select cast(amount as text) from payment where order_id = cast(? as uuid)", d.orderId()));
        assertEquals(
                1L,
                value(
                        "select count(*) from ledger_entry where supplier_order_id = cast(? as uuid)"
                                + " and account = 'PLATFORM_REVENUE' and party_id = 'platform' and debit = cast(? as numeric)",
                        d.so(),
                        charged),
                "the platform bore the lost amount");
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(d.so()));
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/disputes/dp_unknown")
                .then()
                .statusCode(404);
    }

    private record Paid(
            String orderId, String so, String retailer, String supplier, String chargeId, BigDecimal payout) {}

    /** A charged order whose supplier order is shipped and (when asked) paid out, without a dispute yet. */
    private static Paid charged(boolean shipAndPay) throws Exception {
        String orderId = UUID.randomUUID().toString();
        String so = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        reserved(orderId, so, retailer, supplier, "12.40", 1);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> value("select charge_id from payment where order_id = cast(? as uuid)", orderId) != null);
        if (shipAndPay) {
            shipped(orderId, so, retailer, supplier);
            MoneyFlowIT.settled(orderId, so);
        }
        return new Paid(
                orderId,
                so,
                retailer,
                supplier,
                (String) value("select charge_id from payment where order_id = cast(? as uuid)", orderId),
                (BigDecimal) value(
                        "select supplier_payout from supplier_order_account where supplier_order_id = cast(? as uuid)",
                        so));
    }

    private static String disputed(Paid p, String reason) {
        String id = stripe().dispute(p.chargeId(), reason).get("id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> value("select 1 from dispute where id = ?", id) != null);
        return id;
    }

    private static String reversal(String disputeId, String so) throws Exception {
        return (String) value(
                "select status from dispute_reversal where dispute_id = ? and supplier_order_id = cast(? as uuid)",
                disputeId,
                so);
    }

    private static long reversedInStripe(String so) {
        return stripeObjects("transfer", "supplierOrderId", so).stream()
                .filter(t -> t.at("/metadata/disputeId").isMissingNode())
                .mapToLong(t -> t.get("amount_reversed").asLong())
                .sum();
    }

    @Test
    void aParcelNeverReceivedTakesThePaidSupplierShareBackAndAWonDisputePaysItAgain() throws Exception {
        Paid p = charged(true);
        String id = disputed(p, "product_not_received");
        await().atMost(Duration.ofSeconds(30)).until(() -> "REVERSED".equals(reversal(id, p.so())));
        assertEquals(
                p.payout().movePointRight(2).longValueExact(),
                reversedInStripe(p.so()),
                "the whole disputed share came back");
        given().auth()
                .oauth2(TestTokens.retailer(p.retailer()))
                .get("/api/disputes/" + id)
                .then()
                .statusCode(200)
                .body("reversals[0].status", equalTo("REVERSED"))
                .body("reversals[0].amount", equalTo(p.payout().toPlainString()))
                .body("reversals[0].supplierId", equalTo(p.supplier()))
                .body("movements", org.hamcrest.Matchers.hasSize(1))
                .body("movements[0].fee", equalTo("15.00"));
        assertEquals(
                new BigDecimal("15.00"),
                value(
                        "select sum(debit) - sum(credit) from ledger_entry"
                                + " where supplier_order_id = cast(? as uuid) and account = 'DISPUTE_FEES'",
                        p.so()),
                "the dispute fee is booked");

        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("uncategorizedText", "winning_evidence"))
                .post("/api/disputes/" + id + "/evidence")
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "REPAID".equals(reversal(id, p.so())));
        java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> repaid =
                stripeObjects("transfer", "disputeId", id);
        assertEquals(1, repaid.size(), "paid again once");
        assertEquals(
                p.payout().movePointRight(2).longValueExact(),
                repaid.get(0).get("amount").asLong());
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(p.so()));
        assertEquals(
                new BigDecimal("0.00"),
                value(
                        "select sum(debit) - sum(credit) from ledger_entry"
                                + " where supplier_order_id = cast(? as uuid) and account = 'DISPUTE_FEES'",
                        p.so()),
                "the fee came back when won");
        assertEquals(
                new BigDecimal("0.00"),
                value(
                        "select sum(credit) - sum(debit) from ledger_entry"
                                + " where supplier_order_id = cast(? as uuid) and account = 'SUPPLIER_PAYABLE'",
                        p.so()),
                "the supplier is owed nothing");
        assertTrue(
                TopicProbe.collect(
                                        "OrderActivity",
                                        r -> p.orderId().equals(r.key())
                                                && r.value().contains("DISPUTE_REPAID"),
                                        1,
                                        Duration.ofSeconds(10))
                                .size()
                        == 1,
                "the order's timeline tells it");
        reconcilesToday(p, id);
    }

    @Test
    void aLostDisputeOverAnUnacceptableProductTakesTheShareFromATransferPaidAfterIt() throws Exception {
        Paid p = charged(false);
        String id = disputed(p, "product_unacceptable");
        assertEquals("HELD", reversal(id, p.so()), "not paid yet: nothing to take back, the transfer waits");
        shipped(p.orderId(), p.so(), p.retailer(), p.supplier());
        await().during(Duration.ofMillis(2000))
                .atMost(Duration.ofMillis(7000))
                .untilAsserted(() -> assertTrue(
                        stripeObjects("transfer", "supplierOrderId", p.so()).isEmpty(),
                        "no transfer while the dispute is open"));

        stripe().closeDispute(id, false);
        await().atMost(Duration.ofSeconds(30)).until(() -> "KEPT".equals(reversal(id, p.so())));
        assertEquals(1, stripeObjects("transfer", "supplierOrderId", p.so()).size(), "paid, then its share taken back");
        assertEquals(p.payout().movePointRight(2).longValueExact(), reversedInStripe(p.so()));
        assertEquals(BigDecimal.ZERO.setScale(2), imbalance(p.so()));
        assertEquals(
                new BigDecimal("0.00"),
                value(
                        "select sum(credit) - sum(debit) from ledger_entry"
                                + " where supplier_order_id = cast(? as uuid) and account = 'SUPPLIER_PAYABLE'",
                        p.so()),
                "the supplier bore its share");
        assertEquals(
                new BigDecimal("0.00"),
                value(
                        "select sum(credit) - sum(debit) from ledger_entry where supplier_order_id ="
                                + " cast(? as uuid) and account = 'PLATFORM_REVENUE'",
                        p.so()),
                "the charge lost, less the supplier's share taken back: the platform earned nothing on the order");
        reconcilesToday(p, id);
    }

    @Test
    void aFraudulentCardDisputeLeavesPaidTransfersAlone() throws Exception {
        Paid p = charged(true);
        String id = disputed(p, "fraudulent");
        await().during(Duration.ofMillis(2000))
                .atMost(Duration.ofMillis(7000))
                .untilAsserted(() -> assertEquals(
                        null, reversal(id, p.so()), "not the supplier's to answer for: nothing taken back"));
        assertEquals(0, reversedInStripe(p.so()));
    }

    /** The day's reconciliation finds the dispute's movements, reversals and repayments in Stripe, and the ledger balanced. */
    private static void reconcilesToday(Paid p, String disputeId) {
        io.restassured.path.json.JsonPath report = given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/reconciliation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        java.util.List<Map<String, Object>> mismatches = report.getList("mismatches");
        assertTrue(
                mismatches.stream()
                        .noneMatch(m ->
                                java.util.Set.of(p.so(), p.orderId(), disputeId).contains(m.get("reference"))),
                mismatches.toString());
        assertEquals(
                new BigDecimal(report.getString("stripe.USD.disputes")),
                new BigDecimal(report.getString("ledger.USD.disputed")),
                report.prettify());
    }
}
