package io.dropship.deploy;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

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

/**
 * {@code ./fleet bench analytics [lines]}: a large retailer's year of sales (300,000 supplier order lines by default,
 * across 3 stores, 2,100 listings and 300 suppliers) loaded straight into order-service's analytics projection with
 * COPY, then its sales report timed through the gateway's one API: the year by month, by week and supplier, by month
 * and product, the last 30 days by day and listing, and the year as CSV by store; each printed with its p50 / p95 / p99.
 */
final class AnalyticsBench {

    private AnalyticsBench() {
    }

    static boolean run(List<Fleet.Service> services, int lines) {
        try {
            String gateway = Fleet.url(services, "integration-gateway");
            String run = UUID.randomUUID().toString().substring(0, 6);
            Accounts.User retailer = Accounts.retailer(gateway, "Analytics Bench " + run, "analytics-" + run + "@bench.test",
                    "bench passphrase " + run);
            load(retailer.id(), lines);
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            LocalDate yearAgo = today.minusDays(364);
            Map<String, String> classes = new LinkedHashMap<>();
            classes.put("year by month", "from=" + yearAgo + "&to=" + today + "&granularity=MONTH");
            classes.put("year by week and supplier", "from=" + yearAgo + "&to=" + today + "&granularity=WEEK&groupBy=SUPPLIER");
            classes.put("year by month and product", "from=" + yearAgo + "&to=" + today + "&granularity=MONTH&groupBy=PRODUCT");
            classes.put("30 days by day and listing", "from=" + today.minusDays(29) + "&to=" + today + "&granularity=DAY&groupBy=LISTING");
            classes.put("year by month and store, CSV", "from=" + yearAgo + "&to=" + today + "&granularity=MONTH&groupBy=STORE&format=csv");
            for (int i = 0; i < 3; i++) {
                for (String q : classes.values()) {
                    get(gateway, retailer.token(), q);
                }
            }
            int each = 20;
            System.out.printf("%n%-34s %8s %8s %8s %8s%n", "sales report (" + each + " each)", "p50 ms", "p95 ms", "p99 ms", "rows");
            for (Map.Entry<String, String> c : classes.entrySet()) {
                List<Long> times = new ArrayList<>();
                int rows = 0;
                for (int i = 0; i < each; i++) {
                    long t = System.nanoTime();
                    rows = get(gateway, retailer.token(), c.getValue());
                    times.add(System.nanoTime() - t);
                }
                Collections.sort(times);
                System.out.printf("%-34s %8.1f %8.1f %8.1f %8d%n", c.getKey(), pct(times, 50), pct(times, 95), pct(times, 99), rows);
            }
            return true;
        } catch (Exception e) {
            System.out.println("bench analytics: FAILED  " + e);
            return false;
        }
    }

    /** The retailer's year: lines spread evenly over 365 days, one to three per supplier order, most shipped and settled. */
    private static void load(String retailer, int lines) throws Exception {
        String url = "jdbc:postgresql://localhost:" + Fleet.POSTGRES_PORT + "/orders";
        long started = System.nanoTime();
        System.out.printf("bench analytics: loading %,d sales lines for %s (COPY)...%n", lines, retailer);
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement st = c.createStatement()) {
            var copy = ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI();
            CopyIn in = copy.copyIn("copy sales_line (supplier_order_id, line_id, order_id, retailer_id, store_id, listing_id,"
                    + " supplier_id, sku, title, currency, quantity, revenue, cost, routed_at) from stdin");
            StringBuilder so = new StringBuilder(1 << 20);
            List<String> orders = new ArrayList<>();
            Random r = new Random(11);
            StringBuilder b = new StringBuilder(1 << 20);
            long start = LocalDate.now(ZoneOffset.UTC).minusDays(364).atStartOfDay().toEpochSecond(ZoneOffset.UTC);
            int n = 0;
            while (n < lines) {
                UUID supplierOrder = UUID.randomUUID();
                UUID order = UUID.randomUUID();
                int inOrder = 1 + r.nextInt(3);
                long at = start + (long) ((double) n / lines * 365 * 86_400) + r.nextInt(3600);
                String when = java.time.Instant.ofEpochSecond(at).toString();
                // A supplier order goes to one supplier: its lines are of that supplier's listings (each listing has one).
                int supplier = r.nextInt(300);
                double costTotal = 0;
                for (int l = 0; l < inOrder && n < lines; l++, n++) {
                    int listing = supplier + 300 * r.nextInt(7);
                    int quantity = 1 + r.nextInt(3);
                    double wholesale = 3 + (listing % 97);
                    double cost = wholesale * quantity + 2.5;
                    costTotal += cost;
                    b.append(supplierOrder).append('\t').append("l").append(l).append('\t').append(order).append('\t').append(retailer)
                            .append("\tst-bench-").append(listing % 3).append("\tlst-bench-").append(listing)
                            .append("\tbench-sup-").append(supplier).append("\tSKU-").append(listing).append("\tBench product ")
                            .append(listing).append("\tUSD\t").append(quantity).append('\t')
                            .append(String.format(java.util.Locale.ROOT, "%.2f", wholesale * 2.1 * quantity)).append('\t')
                            .append(String.format(java.util.Locale.ROOT, "%.2f", cost)).append('\t').append(when).append('\n');
                }
                boolean shipped = r.nextInt(20) != 0;
                so.append(supplierOrder).append('\t').append(r.nextInt(50) == 0 ? "t" : "f").append('\t')
                        .append(shipped ? java.time.Instant.ofEpochSecond(at + 3600L * (12 + r.nextInt(60))).toString() : "\\N")
                        .append('\t').append(shipped ? String.format(java.util.Locale.ROOT, "%.2f", costTotal * 0.05) : "\\N")
                        .append('\t').append(String.format(java.util.Locale.ROOT, "%.2f", costTotal)).append('\n');
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
            CopyIn states = copy.copyIn("copy sales_supplier_order (supplier_order_id, void, shipped_at, fee, cost_total) from stdin");
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
            st.execute("analyze sales_day");
        }
        System.out.printf("bench analytics: loaded in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    private static int get(String gateway, String token, String query) throws Exception {
        HttpResponse<String> r = Api.deliver(HttpRequest.newBuilder(URI.create(gateway + "/api/analytics/sales?" + query))
                .header("Authorization", "Bearer " + token).GET().build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("report " + query + " answered " + r.statusCode() + ": " + r.body());
        }
        return query.contains("format=csv") ? (int) r.body().lines().count() - 1
                : Api.JSON.readTree(r.body()).get("rows").size();
    }

    private static double pct(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
    }
}
