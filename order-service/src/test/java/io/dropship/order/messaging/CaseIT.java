package io.dropship.order.messaging;

import static io.dropship.testkit.Events.example;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.order.messaging.events.Shipped;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Cases: the retailer, the supplier and support write to each other about a shipped order, and support's outcome is
 * carried out: a reship goes to the supplier again at no charge, a refund is announced for settlement, no action
 * moves nothing. Parties see only their own cases; a resolved case is closed.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class CaseIT extends OrderFlow {

    private record Shipped(String orderId, String supplierOrderId, String supplierId) {}

    /** A mug order routed to supplier a, reserved and shipped. */
    private Shipped shippedMug() {
        String a = mugWithABackupSupplier()[0];
        String orderId = place("STORE-MUGx2");
        awaitOrder(orderId, "ROUTED");
        JsonNode routed = TopicProbe.json(routed(orderId, 1).get(0));
        reserve(routed);
        ship(routed, "1Z-CASE-" + run);
        awaitOrder(orderId, "SHIPPED");
        return new Shipped(orderId, routed.get("supplierOrderId").asText(), a);
    }

    private String open(String token, Map<String, Object> body) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(body)
                .post("/api/cases")
                .then()
                .statusCode(201)
                .extract()
                .path("caseId");
    }

    @Test
    void aDamagedItemCaseGoesBackAndForthAndIsResolvedByAReshipAtNoChargeThatReopensItIfTheSupplierCannot() {
        Shipped o = shippedMug();
        String retailerToken = TestTokens.retailer(retailer);
        String supplierToken = TestTokens.supplier(o.supplierId());
        String caseId = open(
                retailerToken,
                Map.of(
                        "orderId",
                        o.orderId(),
                        "supplierOrderId",
                        o.supplierOrderId(),
                        "kind",
                        "DAMAGED_ITEM",
                        "subject",
                        "The mug arrived in pieces",
                        "message",
                        "Photo attached.",
                        "attachments",
                        List.of(Map.of(
                                "name",
                                "mug.jpg",
                                "url",
                                "https://files.example/mug.jpg",
                                "contentType",
                                "image/jpeg"))));
        String path = "/api/cases/" + caseId;
        given().auth()
                .oauth2(supplierToken)
                .get(path)
                .then()
                .statusCode(200)
                .body("status", equalTo("WAITING_ON_SUPPLIER"))
                .body("messages[0].attachments[0].url", equalTo("https://files.example/mug.jpg"))
                .body("supplierId", equalTo(o.supplierId()));
        given().auth()
                .oauth2(supplierToken)
                .contentType(ContentType.JSON)
                .body(Map.of("body", "Sorry about that. We will send another."))
                .post(path + "/messages")
                .then()
                .statusCode(200)
                .body("status", equalTo("WAITING_ON_RETAILER"))
                .body("messages", hasSize(2));
        // Nobody else's.
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + run))
                .get(path)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.supplier("sup-other-" + run))
                .get(path)
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.supplier("sup-other-" + run))
                .contentType(ContentType.JSON)
                .body(Map.of("body", "hello"))
                .post(path + "/messages")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(retailerToken)
                .get("/api/cases?orderId=" + o.orderId())
                .then()
                .statusCode(200)
                .body("items", hasSize(1));
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + run))
                .get("/api/cases?orderId=" + o.orderId())
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        // The case counts in the retailer's and the supplier's reports (the last 30 days by default).
        given().auth()
                .oauth2(retailerToken)
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .body("quality.cases", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        given().auth()
                .oauth2(supplierToken)
                .get("/api/analytics/supplier-sales")
                .then()
                .statusCode(200)
                .body("quality.cases", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        given().auth()
                .oauth2(retailerToken)
                .contentType(ContentType.JSON)
                .body(Map.of("outcome", "RESHIP"))
                .post(path + "/resolve")
                .then()
                .statusCode(403);

        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("outcome", "RESHIP", "note", "the supplier sends a new mug"))
                .post(path + "/resolve")
                .then()
                .statusCode(200)
                .body("status", equalTo("RESOLVED"))
                .body("outcome", equalTo("RESHIP"));
        JsonNode reship = TopicProbe.json(routed(o.orderId(), 2).get(1));
        ContractCheck.assertValid("SupplierOrderRouted", reship.toString());
        assertTrue(reship.get("noCharge").asBoolean(), reship.toString());
        assertEquals(o.supplierOrderId(), reship.get("reshipOf").asText());
        assertEquals(o.supplierId(), reship.get("supplierId").asText());
        assertEquals(2, reship.at("/lines/0/quantity").asInt());
        given().auth()
                .oauth2(TestTokens.support())
                .get(path)
                .then()
                .body(
                        "reshipSupplierOrderId",
                        equalTo(reship.get("supplierOrderId").asText()));
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("outcome", "NO_ACTION"))
                .post(path + "/resolve")
                .then()
                .statusCode(409);
        given().auth()
                .oauth2(retailerToken)
                .contentType(ContentType.JSON)
                .body(Map.of("body", "thanks"))
                .post(path + "/messages")
                .then()
                .statusCode(409);
        assertEquals(
                List.of("OPENED", "MESSAGE", "RESOLVED"),
                TopicProbe.collect("CaseUpdated", r -> o.orderId().equals(r.key()), 3, Duration.ofSeconds(20)).stream()
                        .map(r -> TopicProbe.json(r).get("event").asText())
                        .toList());

        // The supplier has no stock for the reship: it is not routed elsewhere at the retailer's cost; the case
        // reopens.
        refuse(reship, 0);
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.support())
                        .get(path)
                        .then()
                        .body("status", equalTo("OPEN"))
                        .body("outcome", equalTo(null))
                        .body(
                                "messages[-1].body",
                                containsString("The reship could not go out: the supplier has too little stock")));
        assertEquals(2, Outboxes.published("SupplierOrderRouted", o.orderId()), "nothing routed elsewhere");
        // And the supplier's performance counts the case.
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.admin())
                        .get("/api/supplier-performance/" + o.supplierId())
                        .then()
                        .statusCode(200)
                        .body("cases", equalTo(1)));
    }

    @Test
    void anAdminRefundsAShippedSupplierOrderWithinWhatItCostAndBadCasesAreRefused() {
        Shipped o = shippedMug();
        String caseId = open(
                TestTokens.supplier(o.supplierId()),
                Map.of(
                        "orderId",
                        o.orderId(),
                        "supplierOrderId",
                        o.supplierOrderId(),
                        "kind",
                        "LATE_DELIVERY",
                        "subject",
                        "Carrier delay",
                        "message",
                        "The carrier lost a day."));
        String path = "/api/cases/" + caseId;
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get(path)
                .then()
                .statusCode(200)
                .body("status", equalTo("WAITING_ON_RETAILER"))
                .body("openedByRole", equalTo("SUPPLIER"));
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("outcome", "REFUND", "amount", 5))
                .post(path + "/resolve")
                .then()
                .statusCode(403);
        // The mug cost the retailer (6.00 + 3.00) x 2 = 18.00 before fees.
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("outcome", "REFUND", "amount", "18.01"))
                .post(path + "/resolve")
                .then()
                .statusCode(400)
                .body("detail", containsString("at most 18.00"));
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body(Map.of("outcome", "REFUND", "amount", "4.50", "note", "a day late"))
                .post(path + "/resolve")
                .then()
                .statusCode(200)
                .body("refundAmount", equalTo("4.50"))
                .body("chargeTo", equalTo("SUPPLIER"));
        JsonNode resolved = TopicProbe.json(TopicProbe.collect(
                        "CaseUpdated",
                        r -> o.orderId().equals(r.key()) && r.value().contains("RESOLVED"),
                        1,
                        Duration.ofSeconds(20))
                .get(0));
        ContractCheck.assertValid("CaseUpdated", resolved.toString());
        assertEquals("4.50", resolved.get("refundAmount").asText());
        assertEquals("USD", resolved.get("currency").asText());
        assertEquals(o.supplierOrderId(), resolved.get("supplierOrderId").asText());

        // Bad requests.
        String token = TestTokens.retailer(retailer);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of("orderId", o.orderId(), "kind", "DISPUTE", "subject", "x", "message", "y"))
                .post("/api/cases")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "orderId",
                        o.orderId(),
                        "kind",
                        "WRONG_ITEM",
                        "subject",
                        "x",
                        "message",
                        "y",
                        "attachments",
                        List.of(Map.of("name", "a", "url", "http://plain.example/a"))))
                .post("/api/cases")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"orderId\": ")
                .post("/api/cases")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + run))
                .contentType(ContentType.JSON)
                .body(Map.of("orderId", o.orderId(), "kind", "WRONG_ITEM", "subject", "x", "message", "y"))
                .post("/api/cases")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.supplier(o.supplierId()))
                .contentType(ContentType.JSON)
                .body(Map.of("orderId", o.orderId(), "kind", "WRONG_ITEM", "subject", "x", "message", "y"))
                .post("/api/cases")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier("sup-other-" + run))
                .contentType(ContentType.JSON)
                .body(Map.of(
                        "orderId",
                        o.orderId(),
                        "supplierOrderId",
                        o.supplierOrderId(),
                        "kind",
                        "WRONG_ITEM",
                        "subject",
                        "x",
                        "message",
                        "y"))
                .post("/api/cases")
                .then()
                .statusCode(404);
        // A case on the order without a supplier order: no action is the only outcome that needs none.
        String general = open(
                token,
                Map.of(
                        "orderId",
                        o.orderId(),
                        "kind",
                        "LATE_DELIVERY",
                        "subject",
                        "Where is it?",
                        "message",
                        "No tracking update for a week."));
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("outcome", "RESHIP"))
                .post("/api/cases/" + general + "/resolve")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("status", "WAITING_ON_RETAILER"))
                .post("/api/cases/" + general + "/status")
                .then()
                .statusCode(200)
                .body("status", equalTo("WAITING_ON_RETAILER"));
        given().auth()
                .oauth2(TestTokens.support())
                .contentType(ContentType.JSON)
                .body(Map.of("outcome", "NO_ACTION"))
                .post("/api/cases/" + general + "/resolve")
                .then()
                .statusCode(200)
                .body("outcome", equalTo("NO_ACTION"));
    }

    @Test
    void aCardDisputeOpensACaseForSupportThatFollowsItToItsOutcome() {
        Shipped o = shippedMug();
        String dispute = "dp_" + run;
        com.fasterxml.jackson.databind.node.ObjectNode created = example("PaymentDisputed")
                .put("disputeId", dispute)
                .put("orderId", o.orderId())
                .put("retailerId", retailer)
                .put("event", "CREATED")
                .put("status", "needs_response");
        ContractCheck.assertValid("PaymentDisputed", created.toString());
        publish("PaymentDisputed", o.orderId(), created);
        publish("PaymentDisputed", o.orderId(), created.deepCopy()); // the news twice: one case
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.support())
                        .get("/api/cases?kind=DISPUTE&orderId=" + o.orderId())
                        .then()
                        .statusCode(200)
                        .body("items", hasSize(1))
                        .body("items[0].openedByRole", equalTo("PLATFORM"))
                        .body("items[0].status", equalTo("OPEN"))
                        .body("items[0].messages[0].body", containsString("/api/disputes/" + dispute + "/evidence")));
        String caseId = given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/cases?kind=DISPUTE")
                .then()
                .statusCode(200)
                .extract()
                .path("items[0].caseId");
        publish(
                "PaymentDisputed",
                o.orderId(),
                created.deepCopy().put("event", "UPDATED").put("status", "under_review"));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.support())
                        .get("/api/cases/" + caseId)
                        .then()
                        .body("messages[-1].body", equalTo("The dispute is now under review.")));
        publish(
                "PaymentDisputed",
                o.orderId(),
                created.deepCopy().put("event", "CLOSED").put("status", "won").put("outcome", "WON"));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.support())
                        .get("/api/cases/" + caseId)
                        .then()
                        .body("status", equalTo("RESOLVED"))
                        .body("outcome", equalTo("NO_ACTION"))
                        .body("outcomeNote", containsString("won")));
        // A supplier does not see the retailer's card dispute.
        given().auth()
                .oauth2(TestTokens.supplier(o.supplierId()))
                .get("/api/cases/" + caseId)
                .then()
                .statusCode(404);
    }
}
