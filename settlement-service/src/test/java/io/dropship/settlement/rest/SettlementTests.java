package io.dropship.settlement.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.SharedInfrastructure;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class SettlementTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode example(String event) throws Exception {
        return (ObjectNode) JSON.readTree(ContractCheck.example(event));
    }

    private static void publish(String topic, String key, ObjectNode payload, String eventId) {
        ContractCheck.assertValid(topic, payload.toString());
        TopicProbe.send(topic, key, payload.toString(), Map.of("id", eventId, "eventType", topic));
    }

    private static void reserved(String orderId, String soId, String retailer) throws Exception {
        publish("StockReserved", orderId, example("StockReserved").put("orderId", orderId).put("supplierOrderId", soId)
                .put("retailerId", retailer).put("wholesaleTotal", "12.40").put("shippingCost", "3.50"), UUID.randomUUID().toString());
    }

    private static void shipped(String orderId, String soId, String retailer, String eventId) throws Exception {
        publish("Shipped", orderId, example("Shipped").put("orderId", orderId).put("supplierOrderId", soId)
                .put("shipmentId", UUID.randomUUID().toString()).put("retailerId", retailer)
                .put("shippedAt", Instant.now().toString()), eventId);
    }

    private static JsonNode settled(String orderId, int expected) {
        List<ConsumerRecord<String, String>> events = TopicProbe.collect("Settled", r -> orderId.equals(r.key()), expected,
                Duration.ofSeconds(60));
        events.forEach(e -> ContractCheck.assertValid("Settled", e.value()));
        try {
            return JSON.readTree(events.get(0).value());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aShippedSupplierOrderIsInvoicedBalancedInTheLedgerAndSettledOnce() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        reserved(orderId, soId, retailer);
        String shippedId = UUID.randomUUID().toString();
        shipped(orderId, soId, retailer, shippedId);
        shipped(orderId, soId, retailer, shippedId);

        JsonNode settled = settled(orderId, 1);
        // BASIC: 0.50 + 3% of (12.40 + 3.50) = 0.50 + 0.477 = 0.98
        assertEquals("0.98", settled.get("platformFee").asText());
        assertEquals("15.90", settled.get("supplierPayout").asText());
        assertEquals("16.88", settled.get("retailerCharge").asText());

        given().auth().oauth2(TestTokens.retailer(retailer)).get("/api/invoices/" + orderId).then().statusCode(200)
                .body("lines", hasSize(1)).body("total", equalTo("16.88")).body("lines[0].plan", equalTo("BASIC"));
        given().auth().oauth2(TestTokens.retailer("ret-other")).get("/api/invoices/" + orderId).then().statusCode(404);
        assertEquals(BigDecimal.ZERO.setScale(2), ledgerImbalance(soId));
        assertEquals(1, TopicProbe.collect("Settled", r -> orderId.equals(r.key()), 2, Duration.ofSeconds(3)).size(),
                "a redelivered Shipped settles nothing twice");
    }

    @Test
    void aShipmentThatArrivesBeforeItsAmountsSettlesWhenTheyArriveAtThePlansFee() throws Exception {
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        String retailer = "ret-" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.admin()).contentType(ContentType.JSON).body("{\"plan\":\"ENTERPRISE\"}")
                .put("/api/retailers/" + retailer + "/plan").then().statusCode(200);

        shipped(orderId, soId, retailer, UUID.randomUUID().toString());
        reserved(orderId, soId, retailer);

        JsonNode settled = settled(orderId, 1);
        // ENTERPRISE: 0.00 + 1.5% of 15.90 = 0.2385 -> 0.24
        assertEquals("0.24", settled.get("platformFee").asText());
        assertEquals("16.14", settled.get("retailerCharge").asText());
    }

    private static BigDecimal ledgerImbalance(String soId) throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
             PreparedStatement s = c.prepareStatement("select coalesce(sum(debit) - sum(credit), 0) from ledger_entry"
                     + " where supplier_order_id = cast(? as uuid) having count(*) = 3")) {
            s.setString(1, soId);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("the supplier order has no three ledger entries");
                }
                return rs.getBigDecimal(1);
            }
        }
    }
}
