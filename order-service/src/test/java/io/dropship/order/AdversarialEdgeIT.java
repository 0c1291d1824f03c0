package io.dropship.order;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** order-service's commands and the dead-letter console under hostile input: each a 4xx problem, nothing changed. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AdversarialEdgeIT {

    private final String retailer = "ret-adv-" + UUID.randomUUID().toString().substring(0, 8);

    private String heldOrder() throws Exception {
        String orderId = UUID.randomUUID().toString();
        ObjectNode placed = (ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(ContractCheck.example("OrderPlaced"));
        placed.put("orderId", orderId).put("retailerId", retailer).put("orderNumber", "DS-" + orderId.substring(0, 8));
        TopicProbe.send(
                "OrderPlaced",
                orderId,
                placed.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "OrderPlaced"));
        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.retailer(retailer))
                        .get("/api/orders/" + orderId + "/status")
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("ON_HOLD")));
        return orderId;
    }

    @Test
    void cancellationsThatAreMalformedWronglyTypedOversizedOrForAnotherRetailerChangeNothing() throws Exception {
        String orderId = heldOrder();
        String mine = TestTokens.retailer(retailer);
        for (String body : new String[] {
            "{\"reason\": ",
            "{\"reason\": [\"a\"]}",
            "{\"reason\": {\"x\": 1}}",
            "{\"reason\": \"" + "x".repeat(401) + "\"}",
            "[]"
        }) {
            given().auth()
                    .oauth2(mine)
                    .contentType(ContentType.JSON)
                    .body(body)
                    .post("/api/orders/" + orderId + "/cancel")
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
        given().auth()
                .oauth2(mine)
                .contentType("text/plain")
                .body("cancel it")
                .post("/api/orders/" + orderId + "/cancel")
                .then()
                .statusCode(415);
        given().auth()
                .oauth2(TestTokens.retailer("ret-other-" + retailer))
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"mine now\"}")
                .post("/api/orders/" + orderId + "/cancel")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(mine)
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/orders/not-a-uuid/cancel")
                .then()
                .statusCode(404);

        given().auth()
                .oauth2(mine)
                .get("/api/orders/" + orderId + "/status")
                .then()
                .body("status", equalTo("ON_HOLD"));
        assertEquals(0, Outboxes.published("SupplierOrderCancelled", orderId));
    }

    @Test
    void listsWithImpossiblePagesStatusesOrAnotherRetailersIdAreRefused() {
        String mine = TestTokens.retailer(retailer);
        for (String query : new String[] {
            "limit=0", "limit=201", "limit=ten", "status=LOST", "cursor=not-a-cursor", "cursor=" + "A".repeat(600)
        }) {
            given().auth()
                    .oauth2(mine)
                    .get("/api/orders?" + query)
                    .then()
                    .statusCode(400)
                    .contentType(startsWith("application/problem+json"));
        }
        given().auth()
                .oauth2(mine)
                .get("/api/orders?retailerId=ret-someone-else")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.supplier("sup-adv"))
                .get("/api/supplier-performance/sup-other")
                .then()
                .statusCode(403);
    }

    @Test
    void theDeadLetterConsoleRefusesGarbageAndOversizedNotes() {
        String admin = TestTokens.admin();
        given().auth()
                .oauth2(admin)
                .get("/api/admin/dead-letters?status=ROTTEN")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(admin)
                .get("/api/admin/dead-letters?cursor=abc")
                .then()
                .statusCode(400);
        given().auth().oauth2(admin).get("/api/admin/dead-letters/abc").then().statusCode(404);
        given().auth()
                .oauth2(admin)
                .post("/api/admin/dead-letters/999999999/replay")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("{\"note\":\"" + "n".repeat(1001) + "\"}")
                .post("/api/admin/dead-letters/1/discard")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"));
        given().auth()
                .oauth2(admin)
                .contentType(ContentType.JSON)
                .body("{\"note\": ")
                .post("/api/admin/dead-letters/1/discard")
                .then()
                .statusCode(400);
    }
}
