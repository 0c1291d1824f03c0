package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
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
class CatalogEventsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    static void product(String supplierId, String sku, String wholesale) {
        given().auth()
                .oauth2(TestTokens.supplier(supplierId))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Mug " + sku + "\",\"wholesalePrice\":\"" + wholesale
                        + "\",\"shippingCost\":\"3.50\",\"currency\":\"USD\"}")
                .put("/api/supplier/products/" + sku)
                .then()
                .statusCode(200);
    }

    @Test
    void everySupplierStatusChangeIsPublishedAsSupplierChanged() {
        String id = SupplierOnboardingIT.register(UUID.randomUUID() + "@acme.test");
        SupplierOnboardingIT.verify(id);
        SupplierOnboardingIT.setStatus(id, "ACTIVE", null);
        SupplierOnboardingIT.setStatus(id, "SUSPENDED", "quality");

        List<ConsumerRecord<String, String>> events =
                TopicProbe.collect("SupplierChanged", r -> id.equals(r.key()), 3, Duration.ofSeconds(60));
        events.forEach(e -> ContractCheck.assertValid("SupplierChanged", e.value()));
        assertEquals(
                List.of("PENDING", "ACTIVE", "SUSPENDED"),
                events.stream()
                        .map(e -> TopicProbe.json(e).get("status").asText())
                        .toList());
        assertEquals(
                "quality", TopicProbe.json(events.get(2)).get("statusReason").asText());
        assertEquals(2, TopicProbe.json(events.get(2)).get("handlingDays").asInt());
    }

    @Test
    void aProductChangeIsPublishedAndOnlyActiveSuppliersListProducts() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        product(supplier, "MUG-1", "6.20");
        product(supplier, "MUG-1", "5.90");
        product(supplier, "MUG-1", "5.90"); // unchanged: nothing to publish
        product(supplier, "MUG-1", "5.8");

        List<ConsumerRecord<String, String>> events = TopicProbe.collect(
                "SupplierProductChanged", r -> (supplier + ":MUG-1").equals(r.key()), 3, Duration.ofSeconds(60));
        events.forEach(e -> ContractCheck.assertValid("SupplierProductChanged", e.value()));
        assertEquals(
                List.of("6.20", "5.90", "5.80"),
                events.stream()
                        .map(e -> TopicProbe.json(e).get("wholesalePrice").asText())
                        .toList());

        String pending = SupplierOnboardingIT.register(UUID.randomUUID() + "@acme.test");
        given().auth()
                .oauth2(TestTokens.supplier(pending))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"x\",\"wholesalePrice\":\"1.00\",\"shippingCost\":\"0\",\"currency\":\"USD\"}")
                .put("/api/supplier/products/X-1")
                .then()
                .statusCode(403);
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"x\",\"wholesalePrice\":\"-1\",\"shippingCost\":\"0\",\"currency\":\"usd\"}")
                .put("/api/supplier/products/X-1")
                .then()
                .statusCode(400)
                .body("errors.field", hasItem("wholesalePrice"))
                .body("errors.field", hasItem("currency"));
    }

    @Test
    void aListingNamesItsOffersPrimaryFirstAndIsPublished() {
        String primary = SupplierOnboardingIT.activeSupplier();
        String backup = SupplierOnboardingIT.activeSupplier();
        product(primary, "MUG-BLK", "6.20");
        product(backup, "MUG-12-B", "6.00");
        String retailer = "ret-" + UUID.randomUUID();

        String listingId = given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Black mug\",\"offers\":[{\"supplierId\":\"" + primary + "\",\"sku\":\"MUG-BLK\"},"
                        + "{\"supplierId\":\"" + backup + "\",\"sku\":\"MUG-12-B\"}]}")
                .put("/api/listings/STORE-MUG")
                .then()
                .statusCode(200)
                .body("listingId", startsWith("lst-"))
                .body("offers[0].supplierId", equalTo(primary))
                .extract()
                .path("listingId");
        // Swapping primary and backup replaces the listing's offers.
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Black mug\",\"offers\":[{\"supplierId\":\"" + backup + "\",\"sku\":\"MUG-12-B\"},"
                        + "{\"supplierId\":\"" + primary + "\",\"sku\":\"MUG-BLK\"}]}")
                .put("/api/listings/STORE-MUG")
                .then()
                .statusCode(200)
                .body("listingId", equalTo(listingId));

        List<ConsumerRecord<String, String>> events =
                TopicProbe.collect("ListingChanged", r -> listingId.equals(r.key()), 2, Duration.ofSeconds(60));
        events.forEach(e -> ContractCheck.assertValid("ListingChanged", e.value()));
        assertEquals(
                primary,
                TopicProbe.json(events.get(0))
                        .get("offers")
                        .get(0)
                        .get("supplierId")
                        .asText());
        assertEquals(
                backup,
                TopicProbe.json(events.get(1))
                        .get("offers")
                        .get(0)
                        .get("supplierId")
                        .asText());
        assertEquals(
                backup + ":MUG-12-B",
                TopicProbe.json(events.get(1))
                        .get("offers")
                        .get(0)
                        .get("supplierProductId")
                        .asText());

        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/listings")
                .then()
                .statusCode(200)
                .body("items.listingId", hasItem(listingId));
        given().auth()
                .oauth2(TestTokens.retailer("ret-other"))
                .get("/api/listings")
                .then()
                .statusCode(200)
                .body("items.listingId", not(hasItem(listingId)));
    }

    @Test
    void aListingOfAnUnknownProductIsRefusedAndNamesIt() {
        String supplier = SupplierOnboardingIT.activeSupplier();
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"Ghost\",\"offers\":[{\"supplierId\":\"" + supplier + "\",\"sku\":\"NOPE\"}]}")
                .put("/api/listings/GHOST")
                .then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("detail", equalTo("unknown supplier products: " + supplier + ":NOPE"));
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType(ContentType.JSON)
                .body("{\"title\":\"x\",\"offers\":[]}")
                .put("/api/listings/GHOST")
                .then()
                .statusCode(403);
    }
}
