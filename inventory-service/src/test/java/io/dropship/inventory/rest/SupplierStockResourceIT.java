package io.dropship.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class SupplierStockResourceIT {

    private static io.restassured.specification.RequestSpecification as(String supplierId) {
        return given().auth().oauth2(TestTokens.supplier(supplierId)).contentType(ContentType.JSON);
    }

    @Test
    void settingStockPublishesStockChangedThatMatchesTheContract() {
        String supplier = "sup-" + UUID.randomUUID();
        as(supplier)
                .body("{\"quantity\":3}")
                .put("/api/supplier/stock/MUG-BLK-12")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true))
                .body("stock.available", equalTo(3))
                .body("stock.onHand", equalTo(3));

        ConsumerRecord<String, String> event = TopicProbe.await(
                "StockChanged", r -> (supplier + ":MUG-BLK-12").equals(r.key()), Duration.ofSeconds(60));
        ContractCheck.assertValid("StockChanged", event.value());
        JsonNode payload = TopicProbe.json(event);
        assertEquals(3, payload.get("available").asInt());
        assertTrue(payload.get("lowStock").asBoolean(), "3 is below the threshold of 5");
        assertEquals("SUPPLIER_UPDATE", payload.get("reason").asText());
    }

    @Test
    void anOlderUpdateNeverOverwritesANewerOne() {
        String supplier = "sup-" + UUID.randomUUID();
        as(supplier)
                .body("{\"quantity\":50,\"updatedAt\":\"2026-11-23T10:00:05Z\"}")
                .put("/api/supplier/stock/A-1")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true));
        as(supplier)
                .body("{\"quantity\":7,\"updatedAt\":\"2026-11-23T10:00:01Z\"}")
                .put("/api/supplier/stock/A-1")
                .then()
                .statusCode(200)
                .body("applied", equalTo(false))
                .body("note", startsWith("ignored"))
                .body("stock.onHand", equalTo(50));
        as(supplier)
                .body("{\"quantity\":40,\"updatedAt\":\"2026-11-23T10:00:09Z\"}")
                .put("/api/supplier/stock/A-1")
                .then()
                .statusCode(200)
                .body("applied", equalTo(true))
                .body("stock.onHand", equalTo(40));

        // Written in each request's transaction: after the answers, the outbox holds all there is.
        assertEquals(2, io.dropship.testkit.Outboxes.published("StockChanged", supplier + ":A-1"));
        List<ConsumerRecord<String, String>> events =
                TopicProbe.collect("StockChanged", r -> (supplier + ":A-1").equals(r.key()), 2, Duration.ofSeconds(60));
        assertEquals(
                List.of(50, 40),
                events.stream()
                        .map(r -> TopicProbe.json(r).get("onHand").asInt())
                        .toList(),
                "the stale update published nothing");
    }

    @Test
    void aSupplierSeesOnlyItsOwnStock() {
        String mine = "sup-" + UUID.randomUUID();
        String theirs = "sup-" + UUID.randomUUID();
        as(theirs)
                .body("{\"quantity\":9}")
                .put("/api/supplier/stock/SHARED-SKU")
                .then()
                .statusCode(200);

        as(mine).get("/api/supplier/stock/SHARED-SKU").then().statusCode(404);
        as(mine).body("{\"quantity\":1}")
                .put("/api/supplier/stock/SHARED-SKU")
                .then()
                .statusCode(200);
        as(theirs).get("/api/supplier/stock/SHARED-SKU").then().statusCode(200).body("onHand", equalTo(9));
        as(mine).get("/api/supplier/stock")
                .then()
                .statusCode(200)
                .body("items.onHand", hasItem(1))
                .body("items.onHand", not(hasItem(9)));
    }

    @Test
    void onlySuppliersSetStock() {
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .contentType(ContentType.JSON)
                .body("{\"quantity\":1}")
                .put("/api/supplier/stock/X")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"quantity\":1}")
                .put("/api/supplier/stock/X")
                .then()
                .statusCode(403);
    }

    @Test
    void aNegativeMissingOrNonNumericQuantityIsRefused() {
        String supplier = "sup-" + UUID.randomUUID();
        as(supplier)
                .body("{\"quantity\":-1}")
                .put("/api/supplier/stock/X")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("errors.field", hasItem("quantity"));
        as(supplier).body("{}").put("/api/supplier/stock/X").then().statusCode(400);
        as(supplier)
                .body("{\"quantity\":\"lots\"}")
                .put("/api/supplier/stock/X")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"));
        as(supplier)
                .body("{\"quantity\":1}")
                .put("/api/supplier/stock/bad%20sku!")
                .then()
                .statusCode(400);
    }
}
