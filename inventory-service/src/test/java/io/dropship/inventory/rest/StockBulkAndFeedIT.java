package io.dropship.inventory.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bulk stock updates, the supplier's stock policy, and stock feeds fetched from a supplier's server. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class StockBulkAndFeedIT {

    /** A supplier's file server: path -> (status, body). */
    static final Map<String, Object[]> FILES = new ConcurrentHashMap<>();

    static HttpServer server;

    @BeforeAll
    static void startSupplierServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/trickle/", exchange -> {
            // A feed that sends a row every half second, for a minute: longer than the test profile's 3 s deadline.
            exchange.sendResponseHeaders(200, 0);
            try (var out = exchange.getResponseBody()) {
                out.write("sku,qty\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                for (int i = 0; i < 120; i++) {
                    out.write(("T-" + i + ",1\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    Thread.sleep(500);
                }
            } catch (Exception closed) {
                // the platform cut the feed off
            }
        });
        server.createContext("/", exchange -> {
            Object[] file = FILES.getOrDefault(exchange.getRequestURI().getPath(), new Object[] {404, "not here"});
            byte[] body = ((String) file[1]).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders((Integer) file[0], body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterAll
    static void stopSupplierServer() {
        server.stop(0);
    }

    static String url(String path) {
        return "http://localhost:" + server.getAddress().getPort() + path;
    }

    private static io.restassured.specification.RequestSpecification as(String supplierId) {
        return given().auth().oauth2(TestTokens.supplier(supplierId)).contentType(ContentType.JSON);
    }

    private static String items(int from, int to, int quantity, String stamp) {
        return IntStream.range(from, to)
                .mapToObj(i -> "{\"sku\":\"BULK-" + i + "\",\"quantity\":" + quantity
                        + (stamp == null ? "" : ",\"updatedAt\":\"" + stamp + "\"") + "}")
                .collect(Collectors.joining(","));
    }

    @Test
    void aLargeCallCommitsInRunsAndItsAnswerAddsThemUp() {
        String supplier = "sup-" + UUID.randomUUID();
        as(supplier)
                .body("{\"items\":[" + items(0, 1200, 5, "2026-11-23T10:00:00Z") + "]}")
                .post("/api/supplier/stock")
                .then()
                .statusCode(200)
                .body("applied", equalTo(1200))
                .body("changed", equalTo(1200));
        // Runs of 500: the first two move, the third holds a stale update and quantities that did not move.
        String body = "{\"items\":[" + items(0, 1100, 6, "2026-11-23T12:00:00Z")
                + ",{\"sku\":\"BULK-1100\",\"quantity\":9,\"updatedAt\":\"2026-11-23T09:00:00Z\"},"
                + items(1101, 1200, 5, "2026-11-23T12:00:00Z") + "]}";
        as(supplier)
                .body(body)
                .post("/api/supplier/stock")
                .then()
                .statusCode(200)
                .body("received", equalTo(1200))
                .body("applied", equalTo(1199))
                .body("changed", equalTo(1100))
                .body("stale", equalTo(1))
                .body("staleSkus", equalTo(List.of("BULK-1100")));
        as(supplier).get("/api/supplier/stock/BULK-1099").then().statusCode(200).body("onHand", equalTo(6));
        as(supplier).get("/api/supplier/stock/BULK-1100").then().statusCode(200).body("onHand", equalTo(5));
        JsonNode moved = TopicProbe.json(TopicProbe.await(
                "StockChanged",
                r -> (supplier + ":BULK-1050").equals(r.key())
                        && TopicProbe.json(r).path("available").asInt() == 6,
                Duration.ofSeconds(60)));
        assertEquals(6, moved.get("onHand").asInt());
    }

    @Test
    void thousandsOfQuantitiesAreOneCallAndOnlyMovedOnesArePublished() {
        String supplier = "sup-" + UUID.randomUUID();
        as(supplier)
                .body("{\"items\":[" + items(0, 3000, 20, "2026-11-23T10:00:00Z") + "]}")
                .post("/api/supplier/stock")
                .then()
                .statusCode(200)
                .body("received", equalTo(3000))
                .body("applied", equalTo(3000))
                .body("changed", equalTo(3000))
                .body("stale", equalTo(0))
                .body("rejected", hasSize(0));
        as(supplier).get("/api/supplier/stock/BULK-2999").then().statusCode(200).body("onHand", equalTo(20));
        JsonNode first = TopicProbe.json(
                TopicProbe.await("StockChanged", r -> (supplier + ":BULK-7").equals(r.key()), Duration.ofSeconds(60)));
        ContractCheck.assertValid("StockChanged", first.toString());
        assertEquals(20, first.get("available").asInt());
        assertEquals(18, first.get("shown").asInt(), "90% of 20");
        assertEquals(90, first.get("showPercent").asInt());

        // The same quantities, newer: applied (their time counts) but nothing moved, so nothing is published.
        // BULK-5 moves, BULK-6 is stale, BULK-7 is named twice (the newer wins), and two items are not valid.
        String body = "{\"items\":[" + items(0, 5, 20, "2026-11-23T11:00:00Z")
                + ",{\"sku\":\"BULK-5\",\"quantity\":3,\"updatedAt\":\"2026-11-23T11:00:00Z\"}"
                + ",{\"sku\":\"BULK-6\",\"quantity\":1,\"updatedAt\":\"2026-11-23T09:00:00Z\"}"
                + ",{\"sku\":\"BULK-7\",\"quantity\":9,\"updatedAt\":\"2026-11-23T11:00:02Z\"}"
                + ",{\"sku\":\"BULK-7\",\"quantity\":8,\"updatedAt\":\"2026-11-23T11:00:01Z\"}"
                + ",{\"sku\":\"has space\",\"quantity\":1},{\"sku\":\"BULK-8\",\"quantity\":-1}]}";
        as(supplier)
                .body(body)
                .post("/api/supplier/stock")
                .then()
                .statusCode(200)
                .body("received", equalTo(11))
                .body("applied", equalTo(7))
                .body("changed", equalTo(2))
                .body("stale", equalTo(1))
                .body("staleSkus", equalTo(List.of("BULK-6")))
                .body("rejected.index", equalTo(List.of(9, 10)))
                .body("rejected[1].reason", containsString("between 0 and"));
        as(supplier).get("/api/supplier/stock/BULK-7").then().body("onHand", equalTo(9));
        as(supplier).get("/api/supplier/stock/BULK-6").then().body("onHand", equalTo(20));
        // Written in the request's transaction: after the answer, the outbox holds all there is.
        assertEquals(
                1,
                io.dropship.testkit.Outboxes.published("StockChanged", supplier + ":BULK-0"),
                "an unchanged quantity publishes nothing");

        // Bad requests.
        as(supplier).body("{\"items\":[]}").post("/api/supplier/stock").then().statusCode(400);
        as(supplier)
                .body("{\"items\":[" + items(0, 10_001, 1, null) + "]}")
                .post("/api/supplier/stock")
                .then()
                .statusCode(400);
        as(supplier)
                .body("{\"items\":[{\"sku\":")
                .post("/api/supplier/stock")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.retailer("ret-1"))
                .contentType(ContentType.JSON)
                .body("{\"items\":[" + items(0, 1, 1, null) + "]}")
                .post("/api/supplier/stock")
                .then()
                .statusCode(403);
    }

    @Test
    void aSupplierPolicyChangesWhatStoresAreShownAndWhatIsLow() {
        String supplier = "sup-" + UUID.randomUUID();
        as(supplier)
                .get("/api/supplier/stock-policy")
                .then()
                .statusCode(200)
                .body("showPercent", equalTo(90))
                .body("lowStockThreshold", equalTo(5));
        as(supplier)
                .body("{\"items\":[{\"sku\":\"P-1\",\"quantity\":10},{\"sku\":\"P-2\",\"quantity\":100}]}")
                .post("/api/supplier/stock")
                .then()
                .statusCode(200);

        as(supplier)
                .body("{\"showPercent\":50,\"lowStockThreshold\":20}")
                .put("/api/supplier/stock-policy")
                .then()
                .statusCode(200)
                .body("showPercent", equalTo(50))
                .body("lowStockThreshold", equalTo(20));
        JsonNode republished = TopicProbe.json(TopicProbe.await(
                "StockChanged",
                r -> (supplier + ":P-1").equals(r.key()) && r.value().contains("\"POLICY\""),
                Duration.ofSeconds(60)));
        assertEquals(5, republished.get("shown").asInt(), "50% of 10");
        assertEquals(true, republished.get("lowStock").asBoolean(), "10 is below 20");
        as(supplier).get("/api/supplier/low-stock").then().statusCode(200).body("items.sku", equalTo(List.of("P-1")));

        // Left out, a field goes back to the default.
        as(supplier)
                .body("{}")
                .put("/api/supplier/stock-policy")
                .then()
                .statusCode(200)
                .body("showPercent", equalTo(90))
                .body("lowStockThreshold", equalTo(5));
        as(supplier).get("/api/supplier/low-stock").then().statusCode(200).body("items", hasSize(0));
        as(supplier)
                .body("{\"showPercent\":101}")
                .put("/api/supplier/stock-policy")
                .then()
                .statusCode(400);
        as(supplier)
                .body("{\"lowStockThreshold\":-1}")
                .put("/api/supplier/stock-policy")
                .then()
                .statusCode(400);
    }

    @Test
    void aCsvFeedIsFetchedOnItsIntervalAndItsOutcomeRecorded() {
        String supplier = "sup-" + UUID.randomUUID();
        // A newer pushed quantity the feed's older row must not overwrite.
        as(supplier)
                .body("{\"quantity\":77,\"updatedAt\":\"2026-11-23T12:00:00Z\"}")
                .put("/api/supplier/stock/F-3")
                .then()
                .statusCode(200);
        String path = "/" + supplier + "/stock.csv";
        FILES.put(path, new Object[] {
            200,
            "\uFEFFItem Code;Qty;Last Updated\r\nF-1;12;\r\nF-2;0;2026-11-23T11:00:00Z\r\n"
                    + "F-3;5;2026-11-23T11:00:00Z\r\nF-4;lots;\r\n;3;\r\n"
        });
        as(supplier)
                .body("{\"url\":\"" + url(path) + "\",\"format\":\"CSV\",\"intervalMinutes\":60}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(200)
                .body("enabled", equalTo(true));

        Response feed = awaitFetched(supplier, null);
        feed.then()
                .body("lastSuccessAt", notNullValue())
                .body("lastRows", equalTo(5))
                .body("lastApplied", equalTo(2))
                .body("lastRejected", equalTo(2))
                .body("lastError", containsString("line 5: F-4: quantity 'lots' is not a whole number"));
        as(supplier).get("/api/supplier/stock/F-1").then().statusCode(200).body("onHand", equalTo(12));
        as(supplier).get("/api/supplier/stock/F-2").then().statusCode(200).body("onHand", equalTo(0));
        as(supplier).get("/api/supplier/stock/F-3").then().statusCode(200).body("onHand", equalTo(77));

        // The supplier's server fails: the error is recorded and the last success kept.
        String lastSuccess = feed.path("lastSuccessAt");
        FILES.put(path, new Object[] {503, "down for maintenance"});
        as(supplier).post("/api/supplier/stock-feed/run").then().statusCode(202);
        awaitFetched(supplier, feed.path("lastAttemptAt"))
                .then()
                .body("lastError", equalTo("the feed answered HTTP 503"))
                .body("lastSuccessAt", equalTo(lastSuccess));

        // A JSON feed, as an object with items.
        FILES.put(path, new Object[] {
            200,
            "{\"generated\":\"now\",\"items\":[{\"sku\":\"F-1\",\"quantity\":4},"
                    + "{\"sku\":\"F-5\",\"quantity\":8,\"updatedAt\":\"2026-11-23T11:00:00Z\"}]}"
        });
        Response before = as(supplier).get("/api/supplier/stock-feed");
        as(supplier)
                .body("{\"url\":\"" + url(path) + "\",\"format\":\"JSON\",\"intervalMinutes\":5}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(200);
        awaitFetched(supplier, before.path("lastAttemptAt"))
                .then()
                .body("lastError", nullValue())
                .body("lastApplied", equalTo(2));
        as(supplier).get("/api/supplier/stock/F-1").then().body("onHand", equalTo(4));

        // Disabled, it does not run; deleted, it is gone.
        as(supplier)
                .body("{\"url\":\"" + url(path) + "\",\"format\":\"JSON\",\"intervalMinutes\":5,\"enabled\":false}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(200);
        as(supplier).post("/api/supplier/stock-feed/run").then().statusCode(409);
        as(supplier).delete("/api/supplier/stock-feed").then().statusCode(204);
        as(supplier).get("/api/supplier/stock-feed").then().statusCode(404);
    }

    @Test
    void aFeedThatCannotBeUsedIsRefused() {
        String supplier = "sup-" + UUID.randomUUID();
        as(supplier)
                .body("{\"url\":\"ftp://files.example.com/stock.csv\",\"format\":\"CSV\",\"intervalMinutes\":60}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(400)
                .body("detail", containsString("http or https"));
        as(supplier)
                .body("{\"url\":\"" + url("/x.csv") + "\",\"format\":\"XML\",\"intervalMinutes\":60}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(400);
        as(supplier)
                .body("{\"url\":\"" + url("/x.csv") + "\",\"format\":\"CSV\",\"intervalMinutes\":0}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(400);
        // A file without a quantity column fails as a whole, and says why.
        String path = "/" + supplier + "/bad.csv";
        FILES.put(path, new Object[] {200, "sku,colour\nA,red\n"});
        as(supplier)
                .body("{\"url\":\"" + url(path) + "\",\"format\":\"CSV\",\"intervalMinutes\":60}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(200);
        awaitFetched(supplier, null)
                .then()
                .body("lastSuccessAt", nullValue())
                .body("lastError", containsString("names no quantity column"));
    }

    @Test
    void aFeedThatTricklesIsCutOffAtItsDeadlineAndHoldsNoOtherSuppliersFeedUp() {
        String slow = "sup-" + UUID.randomUUID();
        String quick = "sup-" + UUID.randomUUID();
        as(slow).body("{\"url\":\"" + url("/trickle/" + slow + ".csv")
                        + "\",\"format\":\"CSV\",\"intervalMinutes\":60}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> as(slow).get("/api/supplier/stock-feed").<Boolean>path("fetching"));
        String path = "/" + quick + "/stock.csv";
        FILES.put(path, new Object[] {200, "sku,qty\nQ-1,3\n"});
        as(quick)
                .body("{\"url\":\"" + url(path) + "\",\"format\":\"CSV\",\"intervalMinutes\":60}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(200);

        // The quick feed is read while the slow one still trickles.
        awaitFetched(quick, null).then().body("lastApplied", equalTo(1));
        as(slow).get("/api/supplier/stock-feed").then().body("fetching", equalTo(true));
        awaitFetched(slow, null)
                .then()
                .body("lastSuccessAt", nullValue())
                .body("lastError", containsString("took longer than PT3S"));
    }

    @Test
    void aFeedLargerThanTheCapIsCutOffAndRecordedAsFailed() {
        String supplier = "sup-" + UUID.randomUUID();
        String path = "/" + supplier + "/huge.csv";
        // Few rows, each with a long note column, so that the size cap, not the deadline, is what stops it.
        StringBuilder csv = new StringBuilder("sku,qty,note\n");
        String note = "x".repeat(2000);
        while (csv.length() < 1_200_000) {
            csv.append("H-").append(csv.length()).append(",1,").append(note).append('\n');
        }
        FILES.put(path, new Object[] {200, csv.toString()});
        as(supplier)
                .body("{\"url\":\"" + url(path) + "\",\"format\":\"CSV\",\"intervalMinutes\":60}")
                .put("/api/supplier/stock-feed")
                .then()
                .statusCode(200);
        awaitFetched(supplier, null)
                .then()
                .body("lastSuccessAt", nullValue())
                .body("lastError", containsString("larger than 1048576 bytes"));
    }

    /** Waits until a fetch that started after {@code after} (an earlier lastAttemptAt, or null) has finished. */
    private static Response awaitFetched(String supplier, String after) {
        Response[] last = new Response[1];
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Response r = as(supplier).get("/api/supplier/stock-feed");
                    last[0] = r;
                    String attempt = r.path("lastAttemptAt");
                    return attempt != null && !attempt.equals(after) && !r.<Boolean>path("fetching");
                });
        return last[0];
    }
}
