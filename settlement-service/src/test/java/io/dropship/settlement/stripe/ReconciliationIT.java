package io.dropship.settlement.stripe;

import static io.dropship.settlement.stripe.MoneyFlowIT.JSON;
import static io.dropship.settlement.stripe.MoneyFlowIT.connectedSupplier;
import static io.dropship.settlement.stripe.MoneyFlowIT.event;
import static io.dropship.settlement.stripe.MoneyFlowIT.payingRetailer;
import static io.dropship.settlement.stripe.MoneyFlowIT.reserved;
import static io.dropship.settlement.stripe.MoneyFlowIT.settled;
import static io.dropship.settlement.stripe.MoneyFlowIT.shipped;
import static io.dropship.settlement.stripe.MoneyFlowIT.webhook;
import static io.dropship.testkit.Rows.value;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.stripe.StripeClient;
import com.stripe.model.PaymentIntent;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import io.dropship.testkit.Events;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The day's reconciliation of the ledger with Stripe and the shipments, and the supplier's payout statement. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class ReconciliationIT {

    @jakarta.inject.Inject
    io.dropship.settlement.service.Reconciliation reconciliation;

    @jakarta.inject.Inject
    io.dropship.settlement.service.ReconciliationWatch watch;

    @Test
    void theDaysReportAgreesWhereTheMoneyAgreesAndListsEveryMismatch() throws Throwable {
        String retailer = "ret-" + UUID.randomUUID();
        String paidSupplier = "rp-" + UUID.randomUUID().toString().substring(0, 8);
        String waitingSupplier = "rw-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        String account = connectedSupplier(paidSupplier, true);
        connectedSupplier(waitingSupplier, false);
        String order = UUID.randomUUID().toString();
        String soPaid = UUID.randomUUID().toString();
        String soWaiting = UUID.randomUUID().toString();
        reserved(order, soPaid, retailer, paidSupplier, "12.40", 2);
        reserved(order, soWaiting, retailer, waitingSupplier, "20.00", 2);
        shipped(order, soPaid, retailer, paidSupplier);
        shipped(order, soWaiting, retailer, waitingSupplier);
        settled(order, soPaid);

        // Someone charges a card in the Stripe dashboard, outside the platform.
        StripeClient outside = StripeClient.builder()
                .setApiKey(FakeStripeTestResource.KEY)
                .setApiBase(FakeStripeTestResource.fakes().stripeApiBase())
                .build();
        String customer = outside.v1()
                .customers()
                .create(CustomerCreateParams.builder().setEmail("x@y.test").build())
                .getId();
        PaymentIntent stray = outside.v1()
                .paymentIntents()
                .create(PaymentIntentCreateParams.builder()
                        .setAmount(999L)
                        .setCurrency("usd")
                        .setCustomer(customer)
                        .setPaymentMethod("pm_card_visa")
                        .setConfirm(true)
                        .setOffSession(true)
                        .build());

        JsonPath report = given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/reconciliation")
                .then()
                .statusCode(200)
                .body("agrees", equalTo(false))
                .extract()
                .jsonPath();
        List<Map<String, Object>> mismatches = report.getList("mismatches");
        assertTrue(
                mismatches.stream()
                        .anyMatch(m -> "UNKNOWN_TO_LEDGER".equals(m.get("kind"))
                                && stray.getLatestCharge().equals(m.get("reference"))),
                mismatches.toString());
        assertTrue(
                mismatches.stream()
                        .anyMatch(m -> "SHIPPED_NOT_PAID_OUT".equals(m.get("kind"))
                                && soWaiting.equals(m.get("reference"))
                                && String.valueOf(m.get("detail")).contains("not finished Stripe onboarding")),
                mismatches.toString());
        assertTrue(
                mismatches.stream()
                        .noneMatch(m -> soPaid.equals(m.get("reference")) || order.equals(m.get("reference"))),
                "the paid supplier order and the order's charge agree: " + mismatches);

        // The watch announces each mismatch once, however often it finds it (staff are told at the gateway); a supplier
        // order shipped today and not paid out yet is money on its way, not news.
        io.dropship.settlement.service.Reconciliation.Report today =
                io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                        () -> reconciliation.day(java.time.LocalDate.now(java.time.ZoneOffset.UTC), null));
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> watch.announce(today, false));
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> watch.announce(today, false));
        List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> announced =
                io.dropship.testkit.TopicProbe.collect(
                        "ReconciliationMismatch",
                        r -> r.value().contains(stray.getLatestCharge()),
                        2,
                        java.time.Duration.ofSeconds(10));
        assertEquals(1, announced.size(), "announced once");
        io.dropship.contracts.ContractCheck.assertValid(
                "ReconciliationMismatch", announced.get(0).value());
        assertEquals(
                0,
                io.dropship.testkit.TopicProbe.collect(
                                "ReconciliationMismatch",
                                r -> r.value().contains(soWaiting),
                                1,
                                java.time.Duration.ofSeconds(3))
                        .size(),
                "shipped today and not paid out yet: not announced today");

        given().auth()
                .oauth2(TestTokens.support())
                .queryParam("supplierId", paidSupplier)
                .get("/api/reconciliation")
                .then()
                .statusCode(200)
                .body("agrees", equalTo(true))
                .body("suppliers", hasSize(1))
                .body("suppliers[0].shipped", equalTo(1))
                .body("suppliers[0].paidOut", equalTo(1))
                .body("suppliers[0].transferred", equalTo("15.90"))
                .body("suppliers[0].transferredInStripe", equalTo("15.90"));

        // A charge recorded for another amount than Stripe took is found.
        try (Connection c = SharedInfrastructure.get().postgres().connect("app")) {
            c.createStatement().executeUpdate("update payment set amount = amount + 1 where id = '" + order + "'");
        }
        List<Map<String, Object>> after = given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/reconciliation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("mismatches");
        assertTrue(
                after.stream()
                        .anyMatch(m -> "AMOUNT_DIFFERS".equals(m.get("kind")) && order.equals(m.get("reference"))),
                after.toString());

        // The supplier's statement: what it was paid, and a payout to its bank.
        ObjectNode payout = JSON.createObjectNode()
                .put("id", "po_" + UUID.randomUUID().toString().replace("-", ""))
                .put("object", "payout")
                .put("amount", 1590)
                .put("currency", "usd")
                .put("status", "paid")
                .put("arrival_date", Instant.now().getEpochSecond());
        webhook(event("payout.paid", payout, Instant.now().getEpochSecond(), account))
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(TestTokens.supplier(paidSupplier))
                .get("/api/billing/statement")
                .then()
                .statusCode(200)
                .body("paid", hasSize(1))
                .body("paid[0].supplierOrderId", equalTo(soPaid))
                .body("paid[0].payout", equalTo("15.90"))
                .body("totalPaid", equalTo("15.90"))
                .body("owed", hasSize(0))
                .body("payouts", hasSize(1))
                .body("payouts[0].amount", equalTo("15.90"))
                .body("payouts[0].status", equalTo("paid"));
        given().auth()
                .oauth2(TestTokens.supplier(waitingSupplier))
                .get("/api/billing/statement")
                .then()
                .statusCode(200)
                .body("paid", hasSize(0))
                .body("owed", hasSize(1))
                .body("totalOwed", equalTo("23.50"))
                .body("owed[0].reason", containsString("onboarding"));
        assertEquals(
                "SETTLED",
                value("select status from supplier_order_account where supplier_order_id = cast(? as uuid)", soPaid));
    }

    @Test
    void aYenOrderAgreesWithStripesDollarBalanceAtTheRateStripeNamesAndTotalsStayPerCurrency() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "ry-" + UUID.randomUUID().toString().substring(0, 8);
        payingRetailer(retailer, "pm_card_visa");
        connectedSupplier(supplier, true);
        String order = UUID.randomUUID().toString();
        String so = UUID.randomUUID().toString();
        Events.publish(
                "StockReserved",
                order,
                Events.example("StockReserved")
                        .put("orderId", order)
                        .put("supplierOrderId", so)
                        .put("retailerId", retailer)
                        .put("supplierId", supplier)
                        .put("currency", "JPY")
                        .put("wholesaleTotal", "1200")
                        .put("shippingCost", "10")
                        .put("routedTogether", 1));
        shipped(order, so, retailer, supplier);
        settled(order, so);

        // Stripe's balance is in dollars: the yen charge and transfer are there converted, at the rate each names.
        JsonPath report = given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/reconciliation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        List<Map<String, Object>> mismatches = report.getList("mismatches");
        assertTrue(
                mismatches.stream().noneMatch(m -> order.equals(m.get("reference")) || so.equals(m.get("reference"))),
                "the yen charge and transfer agree with Stripe's dollars: " + mismatches);
        assertTrue(new java.math.BigDecimal(report.getString("ledger.JPY.charged")).signum() > 0, report.prettify());
        assertTrue(
                new java.math.BigDecimal(report.getString("ledger.JPY.transferred")).signum() > 0, report.prettify());
        assertTrue(
                report.getMap("stripe").keySet().equals(java.util.Set.of("USD")),
                "Stripe's balance is in dollars only");

        // The ledger's yen amount for the charge changed by 100 yen: at the rate, that is 66 cents, and it is found.
        try (Connection c = SharedInfrastructure.get().postgres().connect("app")) {
            c.createStatement().executeUpdate("update payment set amount = amount + 100 where id = '" + order + "'");
        }
        List<Map<String, Object>> after = given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/reconciliation")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("mismatches");
        assertTrue(
                after.stream()
                        .anyMatch(m -> "AMOUNT_DIFFERS".equals(m.get("kind"))
                                && order.equals(m.get("reference"))
                                && String.valueOf(m.get("detail")).contains("JPY")
                                && String.valueOf(m.get("detail")).contains("at Stripe's rate 0.006634")),
                after.toString());
    }

    @Test
    void badDatesAndTheWrongRolesAreRefused() {
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("date", "2026-13-01")
                .get("/api/reconciliation")
                .then()
                .statusCode(400)
                .body("detail", containsString("YYYY-MM-DD"));
        given().auth()
                .oauth2(TestTokens.supplier("sup-1"))
                .get("/api/reconciliation")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .get("/api/billing/statement")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .get("/api/billing/statement")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier("sup-1"))
                .queryParam("from", "2026-11-10")
                .queryParam("to", "2026-11-01")
                .get("/api/billing/statement")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("supplierId", "sup-none")
                .get("/api/billing/statement")
                .then()
                .statusCode(200)
                .body("paid", hasSize(0))
                .body("accountId", org.hamcrest.Matchers.nullValue());
    }
}
