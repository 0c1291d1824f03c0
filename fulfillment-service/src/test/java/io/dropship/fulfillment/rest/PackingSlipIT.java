package io.dropship.fulfillment.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Rows;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/**
 * The packing slip a supplier prints for a parcel: in the retailer's branding as settlement-service announced it, with
 * the customer's address and the lines, and no prices; only for the supplier's own orders once they reached it.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class PackingSlipIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String branding(String retailer, String name, String color, Instant at) throws Exception {
        String id = UUID.randomUUID().toString();
        ObjectNode b = (ObjectNode) JSON.readTree(ContractCheck.example("RetailerBrandingChanged"));
        b.put("retailerId", retailer)
                .put("businessName", name)
                .put("accentColor", color)
                .put("changedAt", at.toString());
        ContractCheck.assertValid("RetailerBrandingChanged", b.toString());
        TopicProbe.send(
                "RetailerBrandingChanged",
                retailer,
                b.toString(),
                Map.of("id", id, "eventType", "RetailerBrandingChanged"));
        return id;
    }

    private static String[] released(String supplier, String retailer, boolean paid) throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("StockReserved"));
        String orderId = UUID.randomUUID().toString();
        String soId = UUID.randomUUID().toString();
        e.put("orderId", orderId)
                .put("supplierOrderId", soId)
                .put("supplierId", supplier)
                .put("retailerId", retailer)
                .put("reservedAt", Instant.now().toString());
        ((ObjectNode) e.get("lines").get(0)).put("title", "Чашка «Ada» black mug 12oz");
        TopicProbe.send(
                "StockReserved",
                orderId,
                e.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "StockReserved"));
        if (paid) {
            Payments.cleared(orderId, soId);
            Rows.await("select 1 from supplier_order where id = cast(? as uuid) and released_at is not null", soId);
        } else {
            Rows.await("select 1 from supplier_order where id = cast(? as uuid)", soId);
        }
        return new String[] {orderId, soId};
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    @Test
    void aSlipCarriesTheRetailersBrandingTheAddressAndTheLinesButNoPrices() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String retailer = "ret-" + UUID.randomUUID();
        Instant now = Instant.now();
        branding(retailer, "Old Name Ltd", "#112233", now.minusSeconds(60));
        branding(retailer, "Demo Shop Ltd", "#AA3300", now);
        Rows.await(
                "select 1 from retailer_branding where retailer_id = ? and business_name = 'Demo Shop Ltd'", retailer);
        String late =
                branding(retailer, "Stale Name Ltd", "#000000", now.minusSeconds(30)); // older news, delivered late
        Rows.await("select 1 from consumed_event where event_id = ?", late);
        assertEquals(
                1,
                Rows.count(
                        "select count(*) from retailer_branding where retailer_id = ? and business_name = 'Demo Shop Ltd'"
                                + " and accent_color = '#AA3300'",
                        retailer),
                "the late older change did not win");
        String[] ids = released(supplier, retailer, true);

        byte[] pdf = given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/orders/" + ids[1] + "/packing-slip")
                .then()
                .statusCode(200)
                .contentType("application/pdf")
                .extract()
                .asByteArray();
        String text = text(pdf);
        assertTrue(text.contains("Demo Shop Ltd"), text);
        assertTrue(text.contains("12 Market Street"), "the retailer's address, where a return goes: " + text);
        assertTrue(
                text.contains("Ada Lovelace") && text.contains("12 Analytical Way") && text.contains("N1 9GU London"),
                text);
        assertTrue(text.contains("DS-20261123-0001"), text);
        assertTrue(
                text.contains("MUG-BLK-12") && text.contains("Чашка «Ada» black mug 12oz"), "Cyrillic prints: " + text);
        assertTrue(text.contains("Thank you for shopping with Demo Shop"), "the retailer's footer: " + text);
        assertFalse(
                text.contains("6.20") || text.contains("14.99") || text.contains("12.40"),
                "no prices on a slip: " + text);
    }

    @Test
    void aRetailerWithoutBrandingIsNamedAndOnlyTheSuppliersOwnReleasedOrdersHaveASlip() throws Exception {
        String supplier = "sup-" + UUID.randomUUID();
        String retailer = "ret-" + UUID.randomUUID();
        String[] ids = released(supplier, retailer, true);
        String text = text(given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/orders/" + ids[1] + "/packing-slip")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
        assertTrue(text.contains(retailer) && text.contains("Ada Lovelace"), text);

        given().auth()
                .oauth2(TestTokens.supplier("sup-other"))
                .get("/api/supplier/orders/" + ids[1] + "/packing-slip")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.retailer(retailer))
                .get("/api/supplier/orders/" + ids[1] + "/packing-slip")
                .then()
                .statusCode(403);
        String[] unpaid = released(supplier, retailer, false);
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/orders/" + unpaid[1] + "/packing-slip")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .get("/api/supplier/orders/not-a-uuid/packing-slip")
                .then()
                .statusCode(404);
    }
}
