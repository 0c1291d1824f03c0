package io.dropship.catalog.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A supplier who signed up at the gateway is registered here under its account's supplier id, its onboarding open. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class SupplierSignUpIT {

    @Test
    void aSignedUpSupplierIsRegisteredPendingUnderItsIdOnceWhateverIsRedelivered() throws Exception {
        String supplierId =
                "sup-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        ObjectNode event = (ObjectNode) new ObjectMapper().readTree(ContractCheck.example("SupplierSignedUp"));
        event.put("supplierId", supplierId)
                .put("contactEmail", supplierId + "@acme.example")
                .put("signedUpAt", Instant.now().toString());
        ContractCheck.assertValid("SupplierSignedUp", event.toString());
        String eventId = UUID.randomUUID().toString();
        TopicProbe.send(
                "SupplierSignedUp",
                supplierId,
                event.toString(),
                Map.of("id", eventId, "eventType", "SupplierSignedUp"));
        // The same sign-up delivered again under another event id (the gateway's outbox relayed it twice).
        String againId = UUID.randomUUID().toString();
        TopicProbe.send(
                "SupplierSignedUp",
                supplierId,
                event.toString(),
                Map.of("id", againId, "eventType", "SupplierSignedUp"));

        await().atMost(30, TimeUnit.SECONDS)
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.admin())
                        .get("/api/suppliers/" + supplierId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("PENDING"))
                        .body("companyName", equalTo("Acme Home"))
                        .body("contactEmail", equalTo(supplierId + "@acme.example"))
                        .body("shipFromRegion", equalTo("US-CA"))
                        .body("contactName", equalTo("Grace Hopper")));
        given().auth()
                .oauth2(TestTokens.supplier(supplierId))
                .get("/api/suppliers/" + supplierId + "/verification")
                .then()
                .statusCode(200)
                .body("complete", equalTo(false))
                .body("steps.outcome", everyItem(equalTo("OPEN")));
        Outboxes.awaitConsumed("catalog-service.supplier-signed-up", eventId);
        Outboxes.awaitConsumed("catalog-service.supplier-signed-up", againId);
        assertEquals(1, Outboxes.published("SupplierChanged", supplierId), "registered once, announced once");
    }
}
