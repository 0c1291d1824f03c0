package io.dropship.catalog.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class ImportIT {

    @TestHTTPResource("/api/supplier/imports")
    URI imports;

    static Response upload(String supplier, String csv, String query) {
        return given().auth()
                .oauth2(TestTokens.supplier(supplier))
                .contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8))
                .post("/api/supplier/imports" + query);
    }

    @Test
    void anExcelExportWithSynonymsSemicolonsAndDecimalCommasImports() {
        String s = SupplierOnboardingIT.activeSupplier();
        String csv =
                "\uFEFFItem Number;Product Name;Long Description;Cost;RRP;Availability;Weight (kg);Image URLs;Colour\r\n"
                        + "TEE-1;Organic Tee;\"Soft cotton;\r\nwashed twice\";4,50;19,99;in stock;0,2;https://cdn.test/t1.jpg|https://cdn.test/t2.jpg;sage\r\n"
                        + "TEE-2;Linen Shirt;;12,00;;sold out;0,35;;\r\n";
        upload(s, csv, "?currency=EUR&fileName=tees.csv")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/supplier/imports/imp-"))
                .body("state", equalTo("COMPLETED"))
                .body("delimiter", equalTo(";"))
                .body("fileName", equalTo("tees.csv"))
                .body("rowsRead", equalTo(2))
                .body("rowsChanged", equalTo(2))
                .body("rowsRejected", equalTo(0))
                .body("mapping.sku", equalTo("Item Number"))
                .body("mapping.wholesalePrice", equalTo("Cost"))
                .body("mapping.msrp", equalTo("RRP"))
                .body("mapping.weight", equalTo("Weight (kg)"))
                .body("mapping.'attributes.Colour'", equalTo("Colour"));

        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/TEE-1")
                .then()
                .statusCode(200)
                .body("title", equalTo("Organic Tee"))
                .body("description", equalTo("Soft cotton;\r\nwashed twice"))
                .body("wholesalePrice", equalTo("4.50"))
                .body("msrp", equalTo("19.99"))
                .body("currency", equalTo("EUR"))
                .body("weightGrams", equalTo(200))
                .body("images", contains("https://cdn.test/t1.jpg", "https://cdn.test/t2.jpg"))
                .body("attributes.Colour", equalTo("sage"))
                .body("status", equalTo("ACTIVE"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/TEE-2")
                .then()
                .body("status", equalTo("OUT_OF_STOCK"))
                .body("shippingCost", equalTo("0.00"));
        // The import publishes its changed products together, SupplierProductsChanged keyed by the supplier (one an
        // import lane's batch: the two SKUs may go through two lanes).
        List<String> skus = new java.util.ArrayList<>();
        TopicProbe.collectUntil(
                        "SupplierProductChanged",
                        r -> s.equals(r.key()),
                        found -> found.stream()
                                        .mapToInt(r -> TopicProbe.json(r)
                                                .get("products")
                                                .size())
                                        .sum()
                                >= 2,
                        Duration.ofSeconds(60))
                .forEach(published -> {
                    assertEquals(
                            "SupplierProductsChanged",
                            TopicProbe.header(published, "eventType")
                                    .orElseThrow()
                                    .replace("\"", ""));
                    ContractCheck.assertValid("SupplierProductsChanged", published.value());
                    TopicProbe.json(published).get("products").forEach(p -> {
                        skus.add(p.get("sku").asText());
                        assertEquals(
                                p.get("sku").asText().equals("TEE-2") ? "OUT_OF_STOCK" : "ACTIVE",
                                p.get("status").asText());
                    });
                });
        assertEquals(List.of("TEE-1", "TEE-2"), skus.stream().sorted().toList());

        // The same file again changes nothing.
        upload(s, csv, "?currency=EUR")
                .then()
                .statusCode(201)
                .body("rowsChanged", equalTo(0))
                .body("rowsUnchanged", equalTo(2));
    }

    @Test
    void badRowsAreReportedByLineAndTheRestImport() {
        String s = SupplierOnboardingIT.activeSupplier();
        String csv = "sku,title,wholesale price,status,images\n"
                + "OK-1,Good one,3.00,,\n" // line 2
                + ",No SKU,3.00,,\n" // line 3
                + "BAD-2,Bad price,three,,\n" // line 4
                + "BAD-3,Bad status,3.00,maybe,\n" // line 5
                + "BAD-4,Too few columns\n" // line 6
                + "BAD-5,Bad image,3.00,,ftp://x\n" // line 7
                + "\"OK-2\",\"Quoted, with comma\",\"1,234.50\",ACTIVE,\n" // line 8
                + "BAD 6,Space in SKU,3.00,,\n"; // line 9
        String id = upload(s, csv, "")
                .then()
                .statusCode(201)
                .body("rowsRead", equalTo(8))
                .body("rowsChanged", equalTo(2))
                .body("rowsRejected", equalTo(6))
                .body("firstErrors.line", contains(3, 4, 5, 6, 7, 9))
                .body("firstErrors[0].reason", containsString("sku is empty"))
                .body("firstErrors[1].reason", containsString("wholesalePrice 'three' is not an amount"))
                .body("firstErrors[2].reason", containsString("status 'maybe'"))
                .body("firstErrors[3].reason", containsString("has 2 columns where the header has 5"))
                .body("firstErrors[4].reason", containsString("not an http(s) URL"))
                .body("firstErrors[5].sku", equalTo("BAD 6"))
                .extract()
                .path("importId");
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/OK-2")
                .then()
                .body("title", equalTo("Quoted, with comma"))
                .body("wholesalePrice", equalTo("1234.50"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/imports/" + id + "/errors?limit=2&cursor="
                        + io.dropship.platform.web.Cursors.encode(5))
                .then()
                .statusCode(200)
                .body("items.line", contains(6, 7))
                .body("nextCursor", org.hamcrest.Matchers.notNullValue());
        given().auth()
                .oauth2(TestTokens.supplier("sup-someone-else"))
                .get("/api/supplier/imports/" + id)
                .then()
                .statusCode(404);
    }

    @Test
    void anExplicitMappingOverridesTheGuess() {
        String s = SupplierOnboardingIT.activeSupplier();
        String csv = "Code,Name,Price,Our Cost\nMAP-1,Mapped,20.00,7.25\n";
        upload(s, csv, "?map=wholesalePrice:Our Cost&map=msrp:Price")
                .then()
                .statusCode(201)
                .body("mapping.wholesalePrice", equalTo("Our Cost"))
                .body("mapping.msrp", equalTo("Price"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/MAP-1")
                .then()
                .body("wholesalePrice", equalTo("7.25"))
                .body("msrp", equalTo("20.00"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/imports/fields")
                .then()
                .statusCode(200)
                .body("field", hasItem("wholesalePrice"))
                .body("find { it.field == 'sku' }.required", equalTo(true));
    }

    @Test
    void aFileThatCannotBeImportedIsRefusedBeforeAnyRow() {
        String s = SupplierOnboardingIT.activeSupplier();
        upload(s, "", "").then().statusCode(400).body("detail", containsString("empty"));
        upload(s, "name,colour\nMug,red\n", "")
                .then()
                .statusCode(400)
                .body("detail", containsString("no column found for sku, wholesalePrice"))
                .body("detail", containsString("name, colour"));
        upload(s, "sku,title,cost,Cost\n", "").then().statusCode(400).body("detail", containsString("twice"));
        upload(s, "sku,title,cost\n", "?map=price:cost")
                .then()
                .statusCode(400)
                .body("detail", containsString("no field 'price'"));
        upload(s, "sku,title,cost\n", "?map=wholesalePrice:Our Cost")
                .then()
                .statusCode(400)
                .body("detail", containsString("no column 'Our Cost'"));
        upload(s, "sku,title,cost\n", "?map=wholesalePrice").then().statusCode(400);
        upload(s, "sku,title,cost\n", "?delimiter=pipe").then().statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/imports")
                .then()
                .statusCode(200)
                .body("items.size()", equalTo(0));

        String pending = SupplierOnboardingIT.register(UUID.randomUUID() + "@acme.test");
        upload(pending, "sku,title,cost\nA,B,1\n", "").then().statusCode(403);
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .contentType("text/csv")
                .body("sku\n")
                .post("/api/supplier/imports")
                .then()
                .statusCode(403);
    }

    @Test
    void aBrokenQuoteStopsTheImportButKeepsTheRowsBefore() {
        String s = SupplierOnboardingIT.activeSupplier();
        upload(s, "sku,title,cost\nQ-1,Fine,1.00\nQ-2,\"never closed,2.00\n", "")
                .then()
                .statusCode(400)
                .body("detail", containsString("could not read the file after line 2"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/imports")
                .then()
                .body("items[0].state", equalTo("FAILED"))
                .body("items[0].failure", not(nullValue()));
    }

    @Test
    void aQuoteLeftOpenIsNotReadOnIntoMemoryButStopsTheImportAtTheRecordCap() {
        String s = SupplierOnboardingIT.activeSupplier();
        String endless = "x".repeat(3 * 1024 * 1024);
        upload(s, "sku,title,cost\nQ-1,Fine,1.00\nQ-2,\"" + endless + ",2.00\n", "")
                .then()
                .statusCode(400)
                .body("detail", containsString("runs past 1048576 characters"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/imports")
                .then()
                .body("items[0].state", equalTo("FAILED"))
                .body("items[0].rowsRead", equalTo(1));
    }

    @Test
    void aLargeJsonBodyIsRefusedButImportsMayBeLarge() {
        String s = SupplierOnboardingIT.activeSupplier();
        String big = "{\"title\":\"" + "x".repeat(2_000_000) + "\"}";
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .contentType(ContentType.JSON)
                .body(big)
                .put("/api/supplier/products/BIG")
                .then()
                .statusCode(413)
                .body("detail", containsString("larger than"));
    }

    @Test
    void theUploadIsImportedWhileItArrivesAndProgressShows() throws Exception {
        String s = SupplierOnboardingIT.activeSupplier();
        PipedOutputStream out = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(out, 1 << 16);
        HttpRequest request = HttpRequest.newBuilder(imports)
                .header("Authorization", "Bearer " + TestTokens.supplier(s))
                .header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> in))
                .build();
        CompletableFuture<HttpResponse<String>> answer =
                HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofString());
        write(out, "sku,title,wholesale price,description\n");
        for (int i = 0; i < 3000; i++) {
            write(out, "STREAM-" + i + ",Streamed item " + i + ",2.50,row " + i + "\n");
        }
        out.flush();
        // Half the file is in: the import runs and shows its progress.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().auth()
                        .oauth2(TestTokens.supplier(s))
                        .get("/api/supplier/imports")
                        .then()
                        .body("items[0].state", equalTo("RUNNING"))
                        .body("items[0].rowsRead", greaterThan(0)));
        for (int i = 3000; i < 6000; i++) {
            write(out, "STREAM-" + i + ",Streamed item " + i + ",2.50,row " + i + "\n");
        }
        out.close();
        HttpResponse<String> done = answer.get();
        assertEquals(201, done.statusCode(), done.body());
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/imports")
                .then()
                .body("items[0].state", equalTo("COMPLETED"))
                .body("items[0].rowsRead", equalTo(6000))
                .body("items[0].rowsChanged", equalTo(6000));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products?cursor=" + io.dropship.platform.web.Cursors.encode("STREAM-5998"))
                .then()
                .body("items[0].sku", equalTo("STREAM-5999"));
    }

    @Test
    void aSkuNamedAgainLaterInTheFileKeepsItsLastRowAcrossBatchesAndWriters() {
        String s = SupplierOnboardingIT.activeSupplier();
        StringBuilder csv = new StringBuilder("sku,title,wholesale price\n");
        // Batches of 500 in the test profile, spread over two writers: each SKU is written at 1.00, then 2.00, then
        // 3.00.
        for (int round = 1; round <= 3; round++) {
            for (int i = 0; i < 1200; i++) {
                csv.append("LANE-")
                        .append(i)
                        .append(",Lane item ")
                        .append(i)
                        .append(',')
                        .append(round)
                        .append(".00\n");
            }
        }
        Response report = upload(s, csv.toString(), "");
        report.then().statusCode(201).body("rowsRead", equalTo(3600)).body("rowsRejected", equalTo(0));
        // A SKU met twice inside one batch is written once, so changed + unchanged is what adds up to the rows read.
        assertEquals(3600, report.<Integer>path("rowsChanged") + report.<Integer>path("rowsUnchanged"));
        for (String sku : List.of("LANE-0", "LANE-1", "LANE-777", "LANE-1199")) {
            given().auth()
                    .oauth2(TestTokens.supplier(s))
                    .get("/api/supplier/products/" + sku)
                    .then()
                    .statusCode(200)
                    .body("wholesalePrice", equalTo("3.00"));
        }
    }

    /** Within one batch too: a SKU's last row is kept, and its text arrives as it was written. */
    @Test
    void aSkuNamedTwiceInOneBatchKeepsItsLastRowAndItsTextAsWritten() {
        String s = SupplierOnboardingIT.activeSupplier();
        String csv = "sku,title,wholesale price,description,Colour\n"
                + "TWICE-1,First title,1.00,plain,red\n"
                + "TWICE-1,\"Second \"\"quoted\"\" title, with \\ and {braces}\",2.00,\"Tür\u00e9 \u2603 line\nbreak\",\"{\"\"not\"\": 1}\"\n";
        Response report = upload(s, csv, "");
        report.then().statusCode(201).body("rowsRead", equalTo(2)).body("rowsRejected", equalTo(0));
        assertEquals(1, report.<Integer>path("rowsChanged"));
        assertEquals(1, report.<Integer>path("rowsUnchanged"));
        given().auth()
                .oauth2(TestTokens.supplier(s))
                .get("/api/supplier/products/TWICE-1")
                .then()
                .statusCode(200)
                .body("title", equalTo("Second \"quoted\" title, with \\ and {braces}"))
                .body("wholesalePrice", equalTo("2.00"))
                .body("description", equalTo("Tür\u00e9 \u2603 line\nbreak"))
                .body("attributes.Colour", equalTo("{\"not\": 1}"));
    }

    private static void write(OutputStream out, String s) throws Exception {
        out.write(s.getBytes(StandardCharsets.UTF_8));
    }
}
