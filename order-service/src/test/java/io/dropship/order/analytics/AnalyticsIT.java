package io.dropship.order.analytics;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.contracts.ContractCheck;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A retailer's sales report from the analytics projection, fed by the events as the services publish them (in any
 * order, some twice): routed lines, a cancellation before shipping, shipping, the platform's fee.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class AnalyticsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    /**
     * The weekly and monthly sums, kept by difference as events came, against the same weeks and months summed
     * afresh from the daily sums: how many groups differ (the empty groups a cancellation left are zeros, not rows).
     */
    private long periodsOff(String retailer) {
        return count(
                "select count(*) from (select dim, u.unit, u.period, currency, grp, sum(orders) as orders,"
                        + " sum(units) as units, sum(revenue) as revenue, sum(cost) as cost, sum(fees) as fees,"
                        + " sum(listing_fees) as listing_fees, sum(ship_hours) as ship_hours, sum(shipped_lines) as shipped_lines"
                        + " from sales_day cross join lateral (values ('WEEK', cast(date_trunc('week', day) as date)),"
                        + " ('MONTH', cast(date_trunc('month', day) as date))) as u(unit, period) where retailer_id = $1"
                        + " group by dim, u.unit, u.period, currency, grp) d"
                        + " full join (select * from sales_period where retailer_id = $1 and orders > 0) p"
                        + " using (dim, unit, period, currency, grp)"
                        + " where (d.orders, d.units, d.revenue, d.cost, d.fees, d.listing_fees, d.ship_hours, d.shipped_lines)"
                        + " is distinct from (p.orders, p.units, p.revenue, p.cost, p.fees, p.listing_fees, p.ship_hours, p.shipped_lines)",
                retailer);
    }

    /**
     * The daily sums, kept by difference order by order as events came, against the same days summed afresh from the
     * lines: how many groups differ (a group whose lines all left has no row).
     */
    private long daysOff(String retailer) {
        return count(
                "select count(*) from (select cast(l.routed_at at time zone 'UTC' as date) as day, x.dim, l.currency,"
                        + " x.grp, count(distinct l.order_id) as orders, sum(l.quantity) as units, sum(l.revenue) as revenue,"
                        + " sum(l.cost) as cost, coalesce(sum(round(so.fee * l.cost / nullif(so.cost_total, 0), 2)), 0) as fees,"
                        + " coalesce(sum(round(so.listing_fee * l.cost / nullif(so.cost_total, 0), 2)), 0) as listing_fees,"
                        + " round(coalesce(sum(extract(epoch from so.shipped_at - l.routed_at) / 3600), 0), 2) as ship_hours,"
                        + " count(so.shipped_at) as shipped_lines"
                        + " from sales_line l left join sales_supplier_order so on so.supplier_order_id = l.supplier_order_id"
                        + " cross join lateral (values ('NONE', ''), ('STORE', coalesce(l.store_id, '')),"
                        + " ('LISTING', coalesce(l.listing_id, '')), ('PRODUCT', l.supplier_id || ':' || l.sku),"
                        + " ('SUPPLIER', l.supplier_id)) as x(dim, grp)"
                        + " where l.retailer_id = $1 and not coalesce(so.void, false)"
                        + " group by 1, x.dim, l.currency, x.grp) f"
                        + " full join (select * from sales_day where retailer_id = $1) d using (day, dim, currency, grp)"
                        + " where (f.orders, f.units, f.revenue, f.cost, f.fees, f.listing_fees, f.ship_hours, f.shipped_lines)"
                        + " is distinct from (d.orders, d.units, d.revenue, d.cost, d.fees, d.listing_fees, d.ship_hours, d.shipped_lines)",
                retailer);
    }

    /** A count the query makes for one retailer ($1). */
    private long count(String sql, String retailer) {
        return pool.preparedQuery(sql)
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(retailer))
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getLong(0);
    }

    private static void send(String topic, String key, ObjectNode e) {
        ContractCheck.assertValid(topic, e.toString());
        TopicProbe.send(topic, key, e.toString(), Map.of("id", UUID.randomUUID().toString(), "eventType", topic));
    }

    /** A supplier order of one line: quantity at wholesale and retail, with its shipping. */
    private static String[] routed(
            String retailer,
            String supplier,
            String sku,
            int quantity,
            String wholesale,
            String retail,
            String shipping,
            String day)
            throws Exception {
        String order = UUID.randomUUID().toString();
        String so = UUID.randomUUID().toString();
        send(
                "SupplierOrderRouted",
                order,
                routedEvent(order, so, retailer, supplier, sku, quantity, wholesale, retail, shipping, day));
        return new String[] {order, so};
    }

    /** The SupplierOrderRouted of one line, for a given order and supplier order. */
    private static ObjectNode routedEvent(
            String order,
            String so,
            String retailer,
            String supplier,
            String sku,
            int quantity,
            String wholesale,
            String retail,
            String shipping,
            String day)
            throws Exception {
        ObjectNode e = (ObjectNode) JSON.readTree(ContractCheck.example("SupplierOrderRouted"));
        e.put("orderId", order)
                .put("supplierOrderId", so)
                .put("retailerId", retailer)
                .put("supplierId", supplier)
                .put("shippingCost", shipping)
                .put("routedAt", day + "T10:00:00Z")
                .put(
                        "wholesaleTotal",
                        new java.math.BigDecimal(wholesale)
                                .multiply(java.math.BigDecimal.valueOf(quantity))
                                .toPlainString());
        ArrayNode lines = e.putArray("lines");
        lines.addObject()
                .put("lineId", "l1")
                .put("listingId", "lst-" + sku)
                .put("supplierProductId", supplier + ":" + sku)
                .put("sku", sku)
                .put("title", "Item " + sku)
                .put("quantity", quantity)
                .put("wholesalePrice", wholesale)
                .put("retailPrice", retail);
        return e;
    }

    @Test
    void salesCostFeesAndProfitByPeriodAndSupplierLeaveOutWhatNeverShipped() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String other = "ret-" + UUID.randomUUID();
        String supA = "sa-" + UUID.randomUUID().toString().substring(0, 8);
        String supB = "sb-" + UUID.randomUUID().toString().substring(0, 8);
        String[] a = routed(retailer, supA, "MUG", 2, "6.00", "15.00", "4.00", "2026-11-03"); // 30 revenue, 16 cost
        String[] b = routed(retailer, supB, "LAMP", 1, "20.00", "49.00", "5.00", "2026-11-10"); // 49 revenue, 25 cost
        String[] c =
                routed(retailer, supB, "LAMP", 1, "20.00", "49.00", "5.00", "2026-11-12"); // cancelled: not counted
        routed(other, supA, "MUG", 9, "6.00", "15.00", "4.00", "2026-11-03"); // 135 revenue, 58 cost
        String supC = "sc-" + UUID.randomUUID().toString().substring(0, 8);
        String[] d =
                routed(retailer, supC, "VASE", 1, "8.00", "19.00", "3.00", "2026-11-20"); // cancelled: its week empty

        ObjectNode shipped = (ObjectNode) JSON.readTree(ContractCheck.example("Shipped"));
        shipped.put("orderId", a[0]).put("supplierOrderId", a[1]).put("shippedAt", "2026-11-04T10:00:00Z");
        send("Shipped", a[0], shipped);
        ObjectNode settled = (ObjectNode) JSON.readTree(ContractCheck.example("Settled"));
        settled.put("orderId", a[0])
                .put("supplierOrderId", a[1])
                .put("platformFee", "1.90")
                .put("listingFee", "0.40");
        send("Settled", a[0], settled);
        send("Settled", a[0], settled); // delivered twice
        ObjectNode cancelled = (ObjectNode) JSON.readTree(ContractCheck.example("SupplierOrderCancelled"));
        cancelled.put("orderId", c[0]).put("supplierOrderId", c[1]);
        send("SupplierOrderCancelled", c[0], cancelled);
        send(
                "SupplierOrderCancelled",
                d[0],
                cancelled.deepCopy().put("orderId", d[0]).put("supplierOrderId", d[1]));
        // A return of order a's mug, its updates out of order and one twice: one return.
        String returnId = UUID.randomUUID().toString();
        ObjectNode authorised = (ObjectNode) JSON.readTree(ContractCheck.example("ReturnUpdated"));
        authorised
                .put("returnId", returnId)
                .put("orderId", a[0])
                .put("supplierOrderId", a[1])
                .put("retailerId", retailer)
                .put("supplierId", supA)
                .put("status", "AUTHORISED")
                .put("occurredAt", "2026-11-06T10:00:00Z");
        send("ReturnUpdated", a[0], authorised);
        ObjectNode requested =
                authorised.deepCopy().put("status", "REQUESTED").put("occurredAt", "2026-11-05T10:00:00Z");
        send("ReturnUpdated", a[0], requested);
        send("ReturnUpdated", a[0], requested);

        String token = TestTokens.retailer(retailer);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath r = given().auth()
                    .oauth2(token)
                    .queryParam("from", "2026-11-01")
                    .queryParam("to", "2026-11-30")
                    .queryParam("granularity", "MONTH")
                    .get("/api/analytics/sales")
                    .then()
                    .statusCode(200)
                    .extract()
                    .jsonPath();
            return r.getList("totals").size() == 1
                    && "79.00".equals(r.getString("totals[0].revenue"))
                    && "1.50".equals(r.getString("totals[0].fees"))
                    && r.get("totals[0].averageHoursToShip") != null;
        });
        JsonPath month = given().auth()
                .oauth2(token)
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .queryParam("granularity", "MONTH")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("2026-11-01", month.getString("rows[0].period"));
        assertEquals(2, month.getInt("totals[0].orders"));
        assertEquals(3, month.getInt("totals[0].units"));
        assertEquals("41.00", month.getString("totals[0].cost"));
        assertEquals("36.50", month.getString("totals[0].profit"));
        assertEquals("39.50", month.getString("totals[0].averageOrderValue"));
        assertEquals(24.0, month.getDouble("totals[0].averageHoursToShip"));
        // Beside the money: one return of two orders, no case.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> given().auth()
                                .oauth2(token)
                                .queryParam("from", "2026-11-01")
                                .queryParam("to", "2026-11-30")
                                .get("/api/analytics/sales")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getInt("quality.returns")
                        == 1);
        JsonPath quality = given().auth()
                .oauth2(token)
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(2, quality.getInt("quality.orders"));
        assertEquals("50.00", quality.getString("quality.returnRatePercent"));
        assertEquals(0, quality.getInt("quality.cases"));

        JsonPath bySupplier = given().auth()
                .oauth2(token)
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .queryParam("granularity", "WEEK")
                .queryParam("groupBy", "SUPPLIER")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("2026-11-02", "2026-11-09"), bySupplier.getList("rows.period"), bySupplier.prettify());
        assertEquals(List.of(supA, supB), bySupplier.getList("rows.group"));
        assertEquals("12.50", bySupplier.getString("rows[0].profit"));
        assertEquals(0, periodsOff(retailer), "weeks and months kept by difference match their days");
        assertEquals(0, daysOff(retailer), "days kept by difference, order by order, match their lines");
        // A range that cuts the month: the days it holds, under the month's first day (summed from the month less the
        // four days left out; then, for a short range, from its own days).
        JsonPath cut = given().auth()
                .oauth2(token)
                .queryParam("from", "2026-11-05")
                .queryParam("to", "2026-12-31")
                .queryParam("granularity", "MONTH")
                .queryParam("groupBy", "PRODUCT")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of("2026-11-01"), cut.getList("rows.period"), cut.prettify());
        assertEquals(List.of(supB + ":LAMP"), cut.getList("rows.group"));
        assertEquals("49.00", cut.getString("rows[0].revenue"));
        assertEquals("Item LAMP", cut.getString("rows[0].label"));
        JsonPath shortCut = given().auth()
                .oauth2(token)
                .queryParam("from", "2026-11-04")
                .queryParam("to", "2026-11-11")
                .queryParam("granularity", "MONTH")
                .queryParam("groupBy", "PRODUCT")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(List.of(supB + ":LAMP"), shortCut.getList("rows.group"), shortCut.prettify());
        assertEquals("25.00", shortCut.getString("rows[0].cost"));

        String csv = given().auth()
                .oauth2(token)
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .queryParam("groupBy", "PRODUCT")
                .queryParam("format", "csv")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .contentType(startsWith("text/csv"))
                .extract()
                .asString();
        assertTrue(csv.startsWith("period,group,label,currency,orders,units,revenue,cost,fees,profit"), csv);
        assertTrue(csv.contains("2026-11-03," + supA + ":MUG,Item MUG,USD,1,2,30.00,16.00,1.50,12.50,30.00,24.0"), csv);

        // Another retailer's figures are its own; staff name the retailer; bad dates are refused.
        given().auth()
                .oauth2(TestTokens.retailer(other))
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .body("totals[0].units", org.hamcrest.Matchers.equalTo(9));
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/analytics/sales")
                .then()
                .statusCode(400)
                .body("detail", containsString("retailerId"));
        given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("retailerId", retailer)
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .body("totals[0].revenue", org.hamcrest.Matchers.equalTo("79.00"));
        given().auth()
                .oauth2(token)
                .queryParam("from", "2026-12-01")
                .queryParam("to", "2026-11-01")
                .get("/api/analytics/sales")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .queryParam("from", "2026-13-01")
                .get("/api/analytics/sales")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(token)
                .queryParam("groupBy", "COLOUR")
                .get("/api/analytics/sales")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(TestTokens.supplier(supA))
                .get("/api/analytics/sales")
                .then()
                .statusCode(403);

        // The supplier's side: what it sold to every retailer, at what it is paid, by product.
        JsonPath supplier = given().auth()
                .oauth2(TestTokens.supplier(supA))
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .queryParam("granularity", "MONTH")
                .queryParam("groupBy", "PRODUCT")
                .get("/api/analytics/supplier-sales")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(11, supplier.getInt("totals[0].units"));
        assertEquals("74.00", supplier.getString("totals[0].revenue"));
        assertEquals(2, supplier.getInt("quality.orders"), supplier.prettify());
        assertEquals(1, supplier.getInt("quality.returns"));
        assertEquals("50.00", supplier.getString("quality.returnRatePercent"));
        assertEquals("MUG", supplier.getString("rows[0].group"));
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/analytics/supplier-sales")
                .then()
                .statusCode(400);
        given().auth().oauth2(token).get("/api/analytics/supplier-sales").then().statusCode(403);

        // The platform's side (an admin): GMV, fees, take rate, top suppliers.
        JsonPath platform = given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("from", "2026-11-01")
                .queryParam("to", "2026-11-30")
                .queryParam("granularity", "MONTH")
                .get("/api/analytics/platform")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals("165.00", platform.getString("topSuppliers.find { it.id == '" + supA + "' }.gmv"));
        assertEquals("49.00", platform.getString("topSuppliers.find { it.id == '" + supB + "' }.gmv"));
        java.math.BigDecimal gmv = new java.math.BigDecimal(platform.getString("totals[0].gmv"));
        java.math.BigDecimal fees = new java.math.BigDecimal(platform.getString("totals[0].fees"));
        java.math.BigDecimal listingFees = new java.math.BigDecimal(platform.getString("totals[0].listingFees"));
        assertTrue(gmv.compareTo(new java.math.BigDecimal("214.00")) >= 0, platform.prettify());
        // The featured supplier's listing fee is the platform's, beside the retailer's fee; the take rate counts both.
        assertTrue(listingFees.compareTo(new java.math.BigDecimal("0.40")) >= 0, platform.prettify());
        assertEquals(
                fees.add(listingFees)
                        .multiply(java.math.BigDecimal.valueOf(100))
                        .divide(gmv, 2, java.math.RoundingMode.HALF_UP),
                new java.math.BigDecimal(platform.getString("totals[0].takeRatePercent")));
        assertTrue(
                platform.getInt("totals[0].activeSuppliers") >= 2 && platform.getInt("totals[0].activeRetailers") >= 2);
        // A range that cuts the month: the month less the days left out (the mugs of the 3rd).
        JsonPath cutPlatform = given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("from", "2026-11-04")
                .queryParam("to", "2026-11-30")
                .queryParam("granularity", "MONTH")
                .get("/api/analytics/platform")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(
                "49.00",
                cutPlatform.getString("topSuppliers.find { it.id == '" + supB + "' }.gmv"),
                cutPlatform.prettify());
        assertEquals(null, cutPlatform.getString("topSuppliers.find { it.id == '" + supA + "' }.gmv"));
        assertEquals("2026-11-01", cutPlatform.getString("rows[0].period"));
        given().auth()
                .oauth2(TestTokens.support())
                .get("/api/analytics/platform")
                .then()
                .statusCode(403);
    }

    /**
     * One order split between two suppliers counts once in the day's orders while either part is live; its events
     * come in any order, some twice, and the day is kept by difference: a cancellation takes out only its own part, and
     * the day's row goes when the last part leaves.
     */
    @Test
    void aSplitOrderCountsOnceUntilItsLastPartLeaves() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supA = "sa-" + UUID.randomUUID().toString().substring(0, 8);
        String supB = "sb-" + UUID.randomUUID().toString().substring(0, 8);
        String[] a = routed(retailer, supA, "MUG", 2, "6.00", "15.00", "4.00", "2026-10-07");
        String order = a[0];
        // The same order's second supplier order, routed the same day.
        String soB = UUID.randomUUID().toString();
        ObjectNode second = routedEvent(order, soB, retailer, supB, "LAMP", 1, "20.00", "49.00", "5.00", "2026-10-07");
        // B's settlement before B's routing, then the routing twice.
        ObjectNode settled = (ObjectNode) JSON.readTree(ContractCheck.example("Settled"));
        settled.put("orderId", order)
                .put("supplierOrderId", soB)
                .put("platformFee", "2.50")
                .put("listingFee", "0.00");
        send("Settled", order, settled);
        send("SupplierOrderRouted", order, second);
        send("SupplierOrderRouted", order, second);
        String token = TestTokens.retailer(retailer);
        Supplier<JsonPath> day = () -> given().auth()
                .oauth2(token)
                .queryParam("from", "2026-10-07")
                .queryParam("to", "2026-10-07")
                .queryParam("granularity", "DAY")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "79.00".equals(day.get().getString("totals[0].revenue")));
        JsonPath both = day.get();
        assertEquals(1, both.getInt("totals[0].orders"), both.prettify());
        assertEquals(3, both.getInt("totals[0].units"), both.prettify());
        assertEquals("2.50", both.getString("totals[0].fees"), both.prettify());
        assertEquals(0, daysOff(retailer), "days kept by difference match their lines");

        ObjectNode cancelled = (ObjectNode) JSON.readTree(ContractCheck.example("SupplierOrderCancelled"));
        cancelled.put("orderId", order).put("supplierOrderId", a[1]);
        send("SupplierOrderCancelled", order, cancelled);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "49.00".equals(day.get().getString("totals[0].revenue")));
        JsonPath one = day.get();
        assertEquals(1, one.getInt("totals[0].orders"), "the order still counts once: " + one.prettify());
        assertEquals(0, daysOff(retailer));

        ObjectNode rejected = (ObjectNode) JSON.readTree(ContractCheck.example("SupplierOrderRejected"));
        rejected.put("orderId", order).put("supplierOrderId", soB);
        send("SupplierOrderRejected", order, rejected);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> count("select count(*) from sales_day where retailer_id = $1", retailer) == 0);
        assertEquals(0, daysOff(retailer));
        assertEquals(0, periodsOff(retailer), "weeks and months kept by difference match their days");
    }

    /**
     * A burst of one retailer's orders arrives in few polls, each applied in one transaction: the days, weeks and
     * months come out as they would event by event, an event delivered twice in the burst counts once, and a record
     * that cannot be applied goes to the dead-letter topic without holding up the rest of its poll.
     */
    @Test
    void aBurstAppliedPollByPollAddsUpAsEventByEvent() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String supplier = "sb-" + UUID.randomUUID().toString().substring(0, 8);
        int n = 30;
        List<Map.Entry<String, String>> routed = new java.util.ArrayList<>();
        List<Map.Entry<String, String>> shipped = new java.util.ArrayList<>();
        List<Map.Entry<String, String>> settled = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String order = UUID.randomUUID().toString();
            String so = UUID.randomUUID().toString();
            ObjectNode r = routedEvent(
                    order, so, retailer, supplier, "SKU" + (i % 4), 2, "5.00", "12.00", "3.00", "2026-09-15");
            ContractCheck.assertValid("SupplierOrderRouted", r.toString());
            routed.add(Map.entry(order, r.toString()));
            if (i % 2 == 0) {
                ObjectNode s = (ObjectNode) JSON.readTree(ContractCheck.example("Shipped"));
                s.put("orderId", order).put("supplierOrderId", so).put("shippedAt", "2026-09-16T10:00:00Z");
                shipped.add(Map.entry(order, s.toString()));
            }
            ObjectNode f = (ObjectNode) JSON.readTree(ContractCheck.example("Settled"));
            f.put("orderId", order)
                    .put("supplierOrderId", so)
                    .put("platformFee", "1.00")
                    .put("listingFee", "0.00");
            settled.add(Map.entry(order, f.toString()));
        }
        java.time.OffsetDateTime start = pool.query("select now()")
                .execute()
                .await()
                .indefinitely()
                .iterator()
                .next()
                .getOffsetDateTime(0);
        // Settled and Shipped before some of their orders' routings: the order they come in does not matter.
        TopicProbe.sendAll("Settled", settled);
        TopicProbe.sendAll("SupplierOrderRouted", routed);
        TopicProbe.sendAll("Shipped", shipped);
        // One more order, its routing delivered twice under one event id, and a Shipped that names no UUID.
        String extra = UUID.randomUUID().toString();
        String twice = routedEvent(
                        extra,
                        UUID.randomUUID().toString(),
                        retailer,
                        supplier,
                        "SKU9",
                        1,
                        "5.00",
                        "12.00",
                        "3.00",
                        "2026-09-15")
                .toString();
        Map<String, String> headers = Map.of("id", UUID.randomUUID().toString(), "eventType", "SupplierOrderRouted");
        TopicProbe.send("SupplierOrderRouted", extra, twice, headers);
        TopicProbe.send("SupplierOrderRouted", extra, twice, headers);
        String bad = "bad-" + UUID.randomUUID();
        ObjectNode garbled = (ObjectNode) JSON.readTree(ContractCheck.example("Shipped"));
        garbled.put("orderId", bad).put("supplierOrderId", "not-a-uuid");
        TopicProbe.send(
                "Shipped",
                bad,
                garbled.toString(),
                Map.of("id", UUID.randomUUID().toString(), "eventType", "Shipped"));

        String token = TestTokens.retailer(retailer);
        Supplier<JsonPath> day = () -> given().auth()
                .oauth2(token)
                .queryParam("from", "2026-09-15")
                .queryParam("to", "2026-09-15")
                .queryParam("granularity", "DAY")
                .get("/api/analytics/sales")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        // 30 orders of 2 units at 12.00 and one of 1 unit; the fees of the 30 settled.
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath d = day.get();
            return "732.00".equals(d.getString("totals[0].revenue")) && "30.00".equals(d.getString("totals[0].fees"));
        });
        JsonPath totals = day.get();
        assertEquals(n + 1, totals.getInt("totals[0].orders"), totals.prettify());
        assertEquals(2 * n + 1, totals.getInt("totals[0].units"), totals.prettify());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> count(
                                "select count(*) from sales_day where retailer_id = $1 and dim = 'NONE'"
                                        + " and shipped_lines = 15",
                                retailer)
                        == 1);
        assertEquals(0, daysOff(retailer), "days kept by difference match their lines");
        assertEquals(0, periodsOff(retailer), "weeks and months kept by difference match their days");
        io.vertx.mutiny.sqlclient.Row applied = pool.preparedQuery("select count(*), count(distinct consumed_at)"
                        + " from consumed_event where consumer = 'order-service.analytics' and consumed_at >= $1")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(start))
                .await()
                .indefinitely()
                .iterator()
                .next();
        assertEquals(2 * n + n / 2 + 1, applied.getLong(0), "every event applied once, the one sent twice once");
        assertTrue(
                applied.getLong(1) < n,
                applied.getLong(0) + " events applied in " + applied.getLong(1) + " transactions, not one each");
        var dead = TopicProbe.await("Analytics.order-service.DLT", r -> bad.equals(r.key()), Duration.ofSeconds(30));
        assertTrue(
                TopicProbe.header(dead, "dead-letter-reason").orElse("").contains("not a UUID"),
                "the dead letter says why: " + dead.headers());
    }

    @Test
    void subscriptionRevenueIsThePlatformsBesideItsFeesOncePerInvoice() throws Exception {
        String retailer = "ret-" + UUID.randomUUID();
        String other = "ret-" + UUID.randomUUID();
        ObjectNode paid = (ObjectNode) JSON.readTree(ContractCheck.example("SubscriptionChanged"));
        paid.put("retailerId", retailer).put("plan", "PRO");
        ((ObjectNode) paid.get("invoicePaid"))
                .put("invoiceId", "in_" + UUID.randomUUID())
                .put("amountPaid", "79.00")
                .put("paidAt", "2025-02-10T10:00:00Z");
        send("SubscriptionChanged", retailer, paid);
        send("SubscriptionChanged", retailer, paid); // Stripe's retry, republished: counted once
        ObjectNode basic = paid.deepCopy().put("retailerId", other).put("plan", "BASIC");
        ((ObjectNode) basic.get("invoicePaid"))
                .put("invoiceId", "in_" + UUID.randomUUID())
                .put("amountPaid", "29.00")
                .put("paidAt", "2025-02-20T10:00:00Z");
        send("SubscriptionChanged", other, basic);
        ObjectNode noInvoice = paid.deepCopy().put("status", "PAST_DUE").putNull("invoicePaid");
        send("SubscriptionChanged", retailer, noInvoice); // a failed renewal: no revenue

        await().atMost(Duration.ofSeconds(30))
                .until(() -> "108.00"
                        .equals(given().auth()
                                .oauth2(TestTokens.admin())
                                .queryParam("from", "2025-02-01")
                                .queryParam("to", "2025-02-28")
                                .queryParam("granularity", "MONTH")
                                .get("/api/analytics/platform")
                                .then()
                                .statusCode(200)
                                .extract()
                                .jsonPath()
                                .getString("subscriptionTotals[0].revenue")));
        JsonPath platform = given().auth()
                .oauth2(TestTokens.admin())
                .queryParam("from", "2025-02-01")
                .queryParam("to", "2025-02-28")
                .queryParam("granularity", "MONTH")
                .get("/api/analytics/platform")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        assertEquals(2, platform.getInt("subscriptionTotals[0].invoices"));
        assertEquals(2, platform.getInt("subscriptionTotals[0].subscribers"));
        assertEquals("USD", platform.getString("subscriptions[0].currency"));
        assertEquals("2025-02-01", platform.getString("subscriptions[0].period"));
    }
}
