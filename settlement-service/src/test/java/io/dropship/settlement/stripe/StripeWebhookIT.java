package io.dropship.settlement.stripe;

import static io.dropship.settlement.stripe.MoneyFlowIT.JSON;
import static io.dropship.settlement.stripe.MoneyFlowIT.WEBHOOK_SECRET;
import static io.dropship.settlement.stripe.MoneyFlowIT.connectedSupplier;
import static io.dropship.settlement.stripe.MoneyFlowIT.event;
import static io.dropship.settlement.stripe.MoneyFlowIT.webhook;
import static io.dropship.testkit.Rows.value;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.fakestores.FakeStripe;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** POST /webhooks/stripe: Stripe's signature, its redeliveries and its disorder. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(FakeStripeTestResource.class)
class StripeWebhookIT {

    private static ObjectNode account(String id, boolean payouts, String transfers) {
        ObjectNode a = JSON.createObjectNode()
                .put("id", id)
                .put("object", "account")
                .put("charges_enabled", payouts)
                .put("payouts_enabled", payouts)
                .put("details_submitted", true);
        a.putObject("capabilities").put("transfers", transfers);
        return a;
    }

    @Test
    void badSignaturesStaleEventsAndMalformedPayloadsAreRefusedAndChangeNothing() {
        String payload = event(
                "account.updated",
                account("acct_nobody", true, "active"),
                Instant.now().getEpochSecond(),
                null);
        long now = Instant.now().getEpochSecond();
        given().contentType("application/json")
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400)
                .body("detail", containsString("Stripe-Signature"));
        given().contentType("application/json")
                .header("Stripe-Signature", FakeStripe.sign("whsec_someone_else", payload, now))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400)
                .body("detail", containsString("does not match"));
        given().contentType("application/json")
                .header("Stripe-Signature", FakeStripe.sign(WEBHOOK_SECRET, payload, now - 301))
                .body(payload)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400);
        String tampered = payload.replace("acct_nobody", "acct_somebody");
        given().contentType("application/json")
                .header("Stripe-Signature", FakeStripe.sign(WEBHOOK_SECRET, payload, now))
                .body(tampered)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400);
        String malformed = "{\"id\": \"evt_1\", \"type\": ";
        given().contentType("application/json")
                .header("Stripe-Signature", FakeStripe.sign(WEBHOOK_SECRET, malformed, now))
                .body(malformed)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400);
        String noObject = "{\"id\":\"evt_" + UUID.randomUUID()
                + "\",\"object\":\"event\",\"type\":\"account.updated\",\"created\":1}";
        given().contentType("application/json")
                .header("Stripe-Signature", FakeStripe.sign(WEBHOOK_SECRET, noObject, now))
                .body(noObject)
                .post("/webhooks/stripe")
                .then()
                .statusCode(400);
        // An event type the platform does not use is acknowledged, so that Stripe stops sending it.
        webhook(event(
                        "customer.created",
                        JSON.createObjectNode().put("id", "cus_x").put("object", "customer"),
                        now,
                        null))
                .then()
                .statusCode(200)
                .body("duplicate", equalTo(false));
    }

    @Test
    void accountUpdatesApplyOnceAndAnOlderOneArrivingLateDoesNotUndoANewerOne() throws Exception {
        String supplier = "sw-" + UUID.randomUUID().toString().substring(0, 8);
        String acct = connectedSupplier(supplier, false);
        long t = Instant.now().getEpochSecond();
        String restricted = event("account.updated", account(acct, false, "inactive"), t - 60, null);
        String enabled = event("account.updated", account(acct, true, "active"), t, null);

        webhook(enabled).then().statusCode(200).body("duplicate", equalTo(false));
        webhook(enabled).then().statusCode(200).body("duplicate", equalTo(true));
        webhook(restricted).then().statusCode(200).body("duplicate", equalTo(false));
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/billing/connect")
                .then()
                .statusCode(200)
                .body("status", equalTo("ENABLED"))
                .body("payoutsEnabled", equalTo(true));

        String later = event("account.updated", account(acct, false, "inactive"), t + 60, null);
        webhook(later).then().statusCode(200);
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/billing/connect")
                .then()
                .statusCode(200)
                .body("status", equalTo("RESTRICTED"));
        assertEquals(
                3L,
                value(
                        "select count(*) from stripe_event where id in (?, ?, ?)",
                        JSON.readTree(enabled).get("id").asText(),
                        JSON.readTree(restricted).get("id").asText(),
                        JSON.readTree(later).get("id").asText()));
    }

    @Test
    void payoutsAreRecordedForTheSuppliersStatementAndAFailureOlderThanThePaidStateIsIgnored() throws Exception {
        String supplier = "sp-" + UUID.randomUUID().toString().substring(0, 8);
        String acct = connectedSupplier(supplier, true);
        String payout = "po_" + UUID.randomUUID().toString().replace("-", "");
        long t = Instant.now().getEpochSecond();
        ObjectNode paid = JSON.createObjectNode()
                .put("id", payout)
                .put("object", "payout")
                .put("amount", 4250)
                .put("currency", "usd")
                .put("status", "paid")
                .put("arrival_date", t);
        ObjectNode failed =
                paid.deepCopy().put("status", "failed").put("failure_message", "The bank account has been closed");
        webhook(event("payout.paid", paid, t, acct)).then().statusCode(200);
        webhook(event("payout.failed", failed, t - 3600, acct)).then().statusCode(200);
        assertEquals("paid", value("select status from payout where id = ?", payout));
        assertEquals(acct, value("select account_id from payout where id = ?", payout));
        assertEquals("42.50", String.valueOf(value("select amount from payout where id = ?", payout)));
    }
}
