package io.dropship.deploy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * {@code ./fleet bench analytics [lines]}: a large retailer's year of sales (300,000 supplier order lines by default,
 * across 3 stores, 2,100 listings and 300 suppliers) loaded straight into order-service's analytics projection with
 * COPY, then its sales report timed through the gateway's one API: the year by month, by week and supplier, by month
 * and product, the last 30 days by day and listing, and the year as CSV by store; then the platform's report (the
 * admin's: every retailer's sales in the fleet) and one supplier's; each printed with its p50 / p95 / p99.
 */
final class AnalyticsBench {

    private AnalyticsBench() {}

    static boolean run(List<Fleet.Service> services, int lines) {
        try {
            String gateway = Fleet.url(services, "integration-gateway");
            String run = UUID.randomUUID().toString().substring(0, 6);
            Accounts.User retailer = Accounts.retailer(
                    gateway, "Analytics Bench " + run, "analytics-" + run + "@bench.test", "bench passphrase " + run);
            load(retailer.id(), lines);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate yearAgo = today.minusDays(364);
            String admin = Accounts.localAdmin(gateway);
            // Each report: its path and query, and who asks (the retailer its own; the admin the platform's and a
            // supplier's, which it names).
            Map<String, String[]> classes = new LinkedHashMap<>();
            String year = "from=" + yearAgo + "&to=" + today;
            classes.put("year by month", new String[] {"sales?" + year + "&granularity=MONTH", retailer.token()});
            classes.put(
                    "year by week and supplier",
                    new String[] {"sales?" + year + "&granularity=WEEK&groupBy=SUPPLIER", retailer.token()});
            classes.put(
                    "year by month and product",
                    new String[] {"sales?" + year + "&granularity=MONTH&groupBy=PRODUCT", retailer.token()});
            classes.put("30 days by day and listing", new String[] {
                "sales?from=" + today.minusDays(29) + "&to=" + today + "&granularity=DAY&groupBy=LISTING",
                retailer.token()
            });
            classes.put(
                    "year by month and store, CSV",
                    new String[] {"sales?" + year + "&granularity=MONTH&groupBy=STORE&format=csv", retailer.token()});
            classes.put("platform: year by month", new String[] {"platform?" + year + "&granularity=MONTH", admin});
            classes.put(
                    "platform: 30 days by day",
                    new String[] {"platform?from=" + today.minusDays(29) + "&to=" + today, admin});
            classes.put("supplier: year by month and product", new String[] {
                "supplier-sales?supplierId=bench-sup-7&" + year + "&granularity=MONTH&groupBy=PRODUCT", admin
            });
            for (int i = 0; i < 3; i++) {
                for (String[] q : classes.values()) {
                    get(gateway, q[1], q[0]);
                }
            }
            int each = 20;
            System.out.printf(
                    "%n%-38s %8s %8s %8s %8s%n", "report (" + each + " each)", "p50 ms", "p95 ms", "p99 ms", "rows");
            for (Map.Entry<String, String[]> c : classes.entrySet()) {
                List<Long> times = new ArrayList<>();
                int rows = 0;
                for (int i = 0; i < each; i++) {
                    long t = System.nanoTime();
                    HttpResponse<String> answer = fetch(gateway, c.getValue()[1], c.getValue()[0]);
                    times.add(System.nanoTime() - t); // to the answer's last byte; counting its rows is the bench's
                    rows = rows(answer, c.getValue()[0]);
                }
                Collections.sort(times);
                System.out.printf(
                        "%-38s %8.1f %8.1f %8.1f %8d%n",
                        c.getKey(), pct(times, 50), pct(times, 95), pct(times, 99), rows);
            }
            return true;
        } catch (Exception e) {
            System.out.println("bench analytics: FAILED  " + e);
            return false;
        }
    }

    /** The retailer's year: lines spread evenly over 365 days, one to three per supplier order, most shipped and settled. */
    private static void load(String retailer, int lines) throws Exception {
        String url = "jdbc:postgresql://localhost:" + FleetDatabases.port("orders") + "/orders";
        long started = System.nanoTime();
        System.out.printf("bench analytics: loading %,d sales lines for %s (COPY)...%n", lines, retailer);
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement st = c.createStatement()) {
            var copy = ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI();
            CopyIn in = copy.copyIn(
                    "copy sales_line (supplier_order_id, line_id, order_id, retailer_id, store_id, listing_id,"
                            + " supplier_id, sku, title, currency, quantity, revenue, cost, routed_at) from stdin");
            StringBuilder so = new StringBuilder(1 << 20);
            List<String> orders = new ArrayList<>();
            Random r = new Random(11);
            StringBuilder b = new StringBuilder(1 << 20);
            long start =
                    LocalDate.now(ZoneOffset.UTC).minusDays(364).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            int n = 0;
            while (n < lines) {
                UUID supplierOrder = UUID.randomUUID();
                UUID order = UUID.randomUUID();
                int inOrder = 1 + r.nextInt(3);
                long at = start + (long) ((double) n / lines * 365 * 86_400) + r.nextInt(3600);
                String when = java.time.Instant.ofEpochSecond(at).toString();
                // A supplier order goes to one supplier: its lines are of that supplier's listings (each listing has
                // one).
                int supplier = r.nextInt(300);
                double costTotal = 0;
                for (int l = 0; l < inOrder && n < lines; l++, n++) {
                    int listing = supplier + 300 * r.nextInt(7);
                    int quantity = 1 + r.nextInt(3);
                    double wholesale = 3 + (listing % 97);
                    double cost = wholesale * quantity + 2.5;
                    costTotal += cost;
                    b.append(supplierOrder)
                            .append('\t')
                            .append("l")
                            .append(l)
                            .append('\t')
                            .append(order)
                            .append('\t')
                            .append(retailer)
                            .append("\tst-bench-")
                            .append(listing % 3)
                            .append("\tlst-bench-")
                            .append(listing)
                            .append("\tbench-sup-")
                            .append(supplier)
                            .append("\tSKU-")
                            .append(listing)
                            .append("\tBench product ")
                            .append(listing)
                            .append("\tUSD\t")
                            .append(quantity)
                            .append('\t')
                            .append(String.format(java.util.Locale.ROOT, "%.2f", wholesale * 2.1 * quantity))
                            .append('\t')
                            .append(String.format(java.util.Locale.ROOT, "%.2f", cost))
                            .append('\t')
                            .append(when)
                            .append('\n');
                }
                boolean shipped = r.nextInt(20) != 0;
                so.append(supplierOrder)
                        .append('\t')
                        .append(r.nextInt(50) == 0 ? "t" : "f")
                        .append('\t')
                        .append(
                                shipped
                                        ? java.time.Instant.ofEpochSecond(at + 3600L * (12 + r.nextInt(60)))
                                                .toString()
                                        : "\\N")
                        .append('\t')
                        .append(shipped ? String.format(java.util.Locale.ROOT, "%.2f", costTotal * 0.05) : "\\N")
                        .append('\t')
                        .append(String.format(java.util.Locale.ROOT, "%.2f", costTotal))
                        .append('\n');
                if (b.length() > (1 << 20) - 4096) {
                    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(bytes, 0, bytes.length);
                    b.setLength(0);
                }
                if (so.length() > (1 << 20) - 4096) {
                    orders.add(so.toString());
                    so.setLength(0);
                }
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
            orders.add(so.toString());
            CopyIn states = copy.copyIn(
                    "copy sales_supplier_order (supplier_order_id, void, shipped_at, fee, cost_total) from stdin");
            for (String chunk : orders) {
                byte[] s = chunk.getBytes(StandardCharsets.UTF_8);
                states.writeToCopy(s, 0, s.length);
            }
            states.endCopy();
            st.execute("analyze sales_line");
            st.execute("analyze sales_supplier_order");
            // The daily sums the report reads, as the projection keeps them for each day an event touches.
            st.execute("select sales_day_refresh('" + retailer + "', cast(d as date)) from generate_series("
                    + "current_date - 365, current_date, interval '1 day') as d");
            // The load rewrote each week's and month's sums hundreds of times in one transaction; autovacuum clears
            // what that left behind in time, and does it here at once.
            st.execute("vacuum analyze sales_day, sales_period, platform_period");
        }
        System.out.printf("bench analytics: loaded in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static int get(String gateway, String token, String query) throws Exception {
        return rows(fetch(gateway, token, query), query);
    }

    private static HttpResponse<String> fetch(String gateway, String token, String query) throws Exception {
        HttpResponse<String> r = Api.deliver(HttpRequest.newBuilder(URI.create(gateway + "/api/analytics/" + query))
                .header("Authorization", "Bearer " + token)
                .GET()
                .build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("report " + query + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    private static int rows(HttpResponse<String> r, String query) throws Exception {
        return query.contains("format=csv")
                ? (int) r.body().lines().count() - 1
                : Api.JSON.readTree(r.body()).get("rows").size();
    }

    private static double pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
    }
}
