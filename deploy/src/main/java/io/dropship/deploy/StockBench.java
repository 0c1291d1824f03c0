package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * {@code ./fleet bench stock [changes] [skus]}: a burst of supplier stock changes reaching stores. One supplier with
 * {@code skus} products (10,000 by default), listed in two WooCommerce stores (all of them) and a Shopify store (the
 * first 100: a Shopify product takes one call to create, paced by the shop's cost budget), all behind the fleet's
 * fake stores. Once every store holds the starting stock, {@code changes} absolute quantities (100,000 by default)
 * at random SKUs go in through the bulk API, 5,000 a call, as fast as it takes them. Printed: changes accepted per
 * second; store calls made and quantities sent per change (what coalescing saves under the stores' rate limits);
 * p50/p99 of the delay from the supplier's last update of a SKU to the store holding its final quantity; and, per
 * store, the floor its rate limit sets (the SKUs it has to be sent over the quantities it takes a second) and how
 * far p99 lies above it.
 */
final class StockBench {

    static final int CHUNK = 5_000;
    static final int SHOPIFY_SKUS = 100;

    /**
     * What a WooCommerce site takes a second, as the gateway calls it by default: 4 calls of up to 100 products. A
     * store cannot hold its final quantities sooner than the quantities it has to be sent divided by this: the floor
     * its rate limit sets, printed beside the delays.
     */
    static final int WOO_PER_SECOND = 4 * 100;

    /**
     * The fake shop's cost budget (Shopify's Standard plan): a bucket of 2,000 points that regains 100 a second; an
     * inventorySetQuantities of up to 250 quantities costs 10 and one per 10 quantities. The shop's floor is the time
     * the bucket needs to regain what the calls cost beyond its 2,000.
     */
    static final int SHOPIFY_BUCKET = 2_000;

    static final int SHOPIFY_RESTORE = 100;

    static double shopifyFloor(int quantities) {
        int points = 0;
        for (int left = quantities; left > 0; left -= 250) {
            points += 10 + Math.min(250, left) / 10;
        }
        return Math.max(0, points - SHOPIFY_BUCKET) / (double) SHOPIFY_RESTORE;
    }

    private StockBench() {}

    static boolean run(List<Fleet.Service> services, int changes, int skus) {
        try {
            return new Run(services, changes, skus).go();
        } catch (Exception e) {
            System.out.println("bench stock: FAILED  " + e);
            return false;
        }
    }

    private static final class Run {
        /** Every call goes to the gateway's one API. */
        final String gateway;

        final String fakes;
        final int changes;
        final int skus;
        final String run = UUID.randomUUID().toString().substring(0, 6);
        final Instant started = Instant.now();

        Run(List<Fleet.Service> services, int changes, int skus) {
            this.gateway = Fleet.url(services, "integration-gateway");
            this.fakes = "http://localhost:" + Fleet.FAKE_STORES_PORT;
            this.changes = changes;
            this.skus = skus;
        }

        boolean go() throws Exception {
            String password = "bench passphrase " + run;
            String admin = Accounts.localAdmin(gateway);
            Accounts.User supplierUser = Accounts.supplier(
                    gateway, admin, "Stock Bench " + run, "stock-" + run + "@bench.test", "US", password);
            String supplier = supplierUser.id();
            String supplierToken = supplierUser.token();
            Accounts.User retailerUser =
                    Accounts.retailer(gateway, "Stock Bench Shop " + run, "shop-" + run + "@bench.test", password);
            String retailer = retailerUser.id();
            String retailerToken = retailerUser.token();

            // The catalog: skus products in one CSV upload, and their starting stock in bulk.
            StringBuilder csv = new StringBuilder("sku,title,wholesale price,shipping\n");
            for (int i = 0; i < skus; i++) {
                csv.append(sku(i)).append(",Bench item ").append(i).append(",10.00,2.00\n");
            }
            HttpResponse<String> imported =
                    Api.deliver(HttpRequest.newBuilder(URI.create(gateway + "/api/supplier/imports"))
                            .header("Authorization", "Bearer " + supplierToken)
                            .header("Content-Type", "text/csv")
                            .timeout(Duration.ofMinutes(10))
                            .POST(HttpRequest.BodyPublishers.ofString(csv.toString()))
                            .build());
            if (imported.statusCode() != 201) {
                throw new IllegalStateException("catalog import: " + imported.statusCode() + " " + imported.body());
            }
            int[] quantity = new int[skus];
            Arrays.fill(quantity, 100);
            for (int from = 0; from < skus; from += CHUNK) {
                StringBuilder body = new StringBuilder("{\"items\":[");
                for (int i = from; i < Math.min(skus, from + CHUNK); i++) {
                    body.append(i > from ? "," : "")
                            .append("{\"sku\":\"")
                            .append(sku(i))
                            .append("\",\"quantity\":100}");
                }
                Api.bulk(
                        "POST",
                        gateway + "/api/supplier/stock",
                        supplierToken,
                        body.append("]}").toString());
            }
            step("%,d products with 100 in stock each", skus);

            // The stores, and the listings in them.
            String[] woo = {"bench-a-" + run, "bench-b-" + run};
            for (String site : woo) {
                Api.ok(
                        "POST",
                        fakes + "/_fake/woo/" + site,
                        null,
                        "{\"consumerKey\":\"ck_" + site + "\",\"consumerSecret\":\"cs_" + site + "\"}");
            }
            String shop = "bench-" + run + ".myshopify.com";
            Api.ok("POST", fakes + "/_fake/shopify/" + shop, null, "{\"accessToken\":\"shpat_" + run + "\"}");
            List<String> storeIds = new ArrayList<>();
            for (String site : woo) {
                storeIds.add(Api.ok(
                                "POST",
                                gateway + "/api/stores",
                                retailerToken,
                                "{\"platform\":\"WOOCOMMERCE\",\"shopDomain\":\""
                                        + fakes + "/woo/" + site + "\",\"webhookSecret\":\"whsec_" + site
                                        + "\",\"apiToken\":\"ck_" + site
                                        + ":cs_" + site + "\"}")
                        .get("storeId")
                        .asText());
            }
            String shopStore = Api.ok(
                            "POST",
                            gateway + "/api/stores",
                            retailerToken,
                            "{\"platform\":\"SHOPIFY\",\"shopDomain\":\"" + shop + "\",\"webhookSecret\":\"shpss_" + run
                                    + "\",\"apiToken\":\"shpat_" + run + "\"}")
                    .get("storeId")
                    .asText();
            int shopifySkus = Math.min(SHOPIFY_SKUS, skus);
            long listing = System.nanoTime();
            list(retailerToken, storeIds.get(0), "A", supplier, skus);
            list(retailerToken, storeIds.get(1), "B", supplier, skus);
            long shopListing = System.nanoTime();
            list(retailerToken, shopStore, "S", supplier, shopifySkus);
            step(
                    "%,d listings imported in %.1f s (250 a request)",
                    2 * skus + shopifySkus, (System.nanoTime() - listing) / 1e9);
            step(
                    "listed in 2 WooCommerce stores (%,d each) and a Shopify store (%,d); waiting for the stores to hold them"
                            + " with their stock",
                    skus, shopifySkus);
            Map<String, Integer> start = expected(quantity, skus);
            Map<String, Integer> startShop = expected(quantity, shopifySkus);
            long[] held = awaitStores(woo, shop, start, startShop, Duration.ofMinutes(15));
            JsonNode shopCalls0 = Api.ok("GET", fakes + "/_fake/shopify/" + shop + "/calls", null, null);
            step(
                    "every store holds the starting stock (90 of 100), from the start of its listing import:"
                            + " WooCommerce %.1f s and %.1f s (%,d listings each), Shopify %.1f s (%,d listings, %,d"
                            + " GraphQL calls, %,d THROTTLED)",
                    (held[0] - listing) / 1e9,
                    (held[1] - listing) / 1e9,
                    skus,
                    (held[2] - shopListing) / 1e9,
                    shopifySkus,
                    shopCalls0.path("graphql").asInt(),
                    shopCalls0.path("throttled").asInt());

            // The burst.
            JsonNode wooBefore0 = Api.ok("GET", fakes + "/_fake/woo/" + woo[0] + "/stock", null, null);
            JsonNode wooBefore1 = Api.ok("GET", fakes + "/_fake/woo/" + woo[1] + "/stock", null, null);
            JsonNode shopBefore = Api.ok("GET", fakes + "/_fake/shopify/" + shop + "/inventory", null, null);
            long burstStart = System.currentTimeMillis();
            long[] lastSent = new long[skus];
            Random random = new Random(7);
            // Every change is stamped a microsecond after the one before, so the last one sent is the newest.
            Instant stamp = Instant.now();
            int sent = 0;
            long sendNanos = 0;
            while (sent < changes) {
                int n = Math.min(CHUNK, changes - sent);
                StringBuilder body = new StringBuilder("{\"items\":[");
                long at = System.currentTimeMillis();
                List<Integer> touched = new ArrayList<>(n);
                for (int k = 0; k < n; k++) {
                    int i = random.nextInt(skus);
                    quantity[i] = random.nextInt(500);
                    touched.add(i);
                    body.append(k > 0 ? "," : "")
                            .append("{\"sku\":\"")
                            .append(sku(i))
                            .append("\",\"quantity\":")
                            .append(quantity[i])
                            .append(",\"updatedAt\":\"")
                            .append(stamp.plusNanos((sent + k) * 1000L))
                            .append("\"}");
                }
                long t0 = System.nanoTime();
                Api.bulk(
                        "POST",
                        gateway + "/api/supplier/stock",
                        supplierToken,
                        body.append("]}").toString());
                sendNanos += System.nanoTime() - t0;
                touched.forEach(i -> lastSent[i] = at);
                sent += n;
            }
            double acceptSeconds = sendNanos / 1e9;
            step(
                    "%,d changes accepted in %.1f s of bulk calls: %,.0f changes/s",
                    changes, acceptSeconds, changes / acceptSeconds);
            Map<String, Integer> end = expected(quantity, skus);
            Map<String, Integer> endShop = expected(quantity, shopifySkus);
            awaitStores(woo, shop, end, endShop, Duration.ofMinutes(15));
            long settled = System.currentTimeMillis();
            step(
                    "every store holds the final quantities, %.1f s after the burst began",
                    (settled - burstStart) / 1000.0);

            // What it cost, and how long each SKU's last change took to reach each store.
            JsonNode wooAfter0 = Api.ok("GET", fakes + "/_fake/woo/" + woo[0] + "/stock", null, null);
            JsonNode wooAfter1 = Api.ok("GET", fakes + "/_fake/woo/" + woo[1] + "/stock", null, null);
            JsonNode shopAfter = Api.ok("GET", fakes + "/_fake/shopify/" + shop + "/inventory", null, null);
            int wooCalls = wooAfter0.get("batchCalls").asInt()
                    - wooBefore0.get("batchCalls").asInt()
                    + wooAfter1.get("batchCalls").asInt()
                    - wooBefore1.get("batchCalls").asInt();
            int shopCalls =
                    shopAfter.get("calls").asInt() - shopBefore.get("calls").asInt();
            List<Long> wooDelays = new ArrayList<>();
            int wooSets = 0;
            for (String site : woo) {
                JsonNode sets =
                        Api.ok("GET", fakes + "/_fake/woo/" + site + "/stock-sets?since=" + burstStart, null, null);
                wooSets += sets.size();
                wooDelays.addAll(delays(sets, lastSent, end, site.startsWith("bench-a") ? "A" : "B"));
            }
            JsonNode shopSets =
                    Api.ok("GET", fakes + "/_fake/shopify/" + shop + "/quantity-sets?since=" + burstStart, null, null);
            List<Long> shopDelays = delays(shopSets, lastSent, endShop, "S");
            // Changes that concern each store: every change reaches both WooCommerce stores; the Shopify store lists a
            // share.
            double shopShare = (double) shopifySkus / skus;
            int wooQuantities = 0;
            int shopQuantities = 0;
            for (int i = 0; i < skus; i++) {
                if (lastSent[i] > 0) {
                    wooQuantities++;
                    shopQuantities += i < shopifySkus ? 1 : 0;
                }
            }
            double wooFloor = (double) wooQuantities / WOO_PER_SECOND;
            double shopFloor = shopifyFloor(shopQuantities);
            System.out.println();
            System.out.printf(
                    "bench stock: %,d changes across %,d SKUs, accepted at %,.0f changes/s (%d bulk calls of up to %,d)%n",
                    changes, skus, changes / acceptSeconds, (changes + CHUNK - 1) / CHUNK, CHUNK);
            System.out.printf(
                    "  WooCommerce (2 stores, %,d listings each, 4 calls/s each): %,d batch calls, %,d quantities set"
                            + " for %,d changes = %.3f calls and %.3f quantities per change%n",
                    skus, wooCalls, wooSets, 2 * changes, wooCalls / (2.0 * changes), wooSets / (2.0 * changes));
            System.out.printf(
                    "  Shopify (1 store, %,d listings, its cost budget): %,d inventory calls, %,d quantities set for about %,.0f"
                            + " changes = %.3f calls per change%n",
                    shopifySkus,
                    shopCalls,
                    shopSets.size(),
                    changes * shopShare,
                    shopCalls / Math.max(1.0, changes * shopShare));
            System.out.printf(
                    "  delay from a SKU's last supplier update to the store holding it: WooCommerce p50 %s / p99 %s;"
                            + " Shopify p50 %s / p99 %s%n",
                    pct(wooDelays, 50), pct(wooDelays, 99), pct(shopDelays, 50), pct(shopDelays, 99));
            System.out.printf(
                    "  floor set by each store's rate limit: WooCommerce (SKUs changed / quantities it takes a second)"
                            + " %,d / %d = %.1f s each, p99 %s above it; Shopify (%,d SKUs changed, what their calls cost"
                            + " beyond the %,d-point bucket at %d points a second) %.1f s, p99 %s above it%n",
                    wooQuantities,
                    WOO_PER_SECOND,
                    wooFloor,
                    above(wooDelays, wooFloor),
                    shopQuantities,
                    SHOPIFY_BUCKET,
                    SHOPIFY_RESTORE,
                    shopFloor,
                    above(shopDelays, shopFloor));
            System.out.printf(
                    "  (%,d WooCommerce and %,d Shopify final quantities measured)%n",
                    wooDelays.size(), shopDelays.size());
            return true;
        }

        private void list(String retailerToken, String storeId, String tag, String supplier, int count)
                throws Exception {
            for (int from = 0; from < count; from += 250) {
                StringBuilder body = new StringBuilder("{\"storeId\":\"" + storeId + "\",\"products\":[");
                for (int i = from; i < Math.min(count, from + 250); i++) {
                    body.append(i > from ? "," : "")
                            .append("{\"supplierId\":\"")
                            .append(supplier)
                            .append("\",\"sku\":\"")
                            .append(sku(i))
                            .append("\",\"listingSku\":\"")
                            .append(tag)
                            .append('-')
                            .append(sku(i))
                            .append("\"}");
                }
                JsonNode report = Api.bulk(
                        "POST",
                        gateway + "/api/listings/imports",
                        retailerToken,
                        body.append("]}").toString());
                if (report.get("rejected").asInt() > 0) {
                    throw new IllegalStateException("listing import rejected " + report.get("rejected") + ": "
                            + report.get("items").get(0));
                }
            }
        }

        /**
         * Waits until every store holds its expected quantities; answers when each first did (System.nanoTime): the
         * two WooCommerce sites, then the shop.
         */
        private long[] awaitStores(
                String[] woo,
                String shop,
                Map<String, Integer> expected,
                Map<String, Integer> expectedShop,
                Duration timeout)
                throws Exception {
            long deadline = System.currentTimeMillis() + timeout.toMillis();
            long lastNote = 0;
            long[] held = new long[woo.length + 1];
            while (true) {
                int missing = 0;
                for (int w = 0; w < woo.length; w++) {
                    String site = woo[w];
                    JsonNode q = Api.ok("GET", fakes + "/_fake/woo/" + site + "/stock", null, null)
                            .get("quantities");
                    String tag = site.startsWith("bench-a") ? "A" : "B";
                    int siteMissing = 0;
                    for (Map.Entry<String, Integer> e : expected.entrySet()) {
                        if (q.path(tag + "-" + e.getKey()).asInt(-1) != e.getValue()) {
                            siteMissing++;
                        }
                    }
                    if (siteMissing == 0 && held[w] == 0) {
                        held[w] = System.nanoTime();
                    }
                    missing += siteMissing;
                }
                JsonNode q = Api.ok("GET", fakes + "/_fake/shopify/" + shop + "/inventory", null, null)
                        .get("quantities");
                int shopMissing = 0;
                for (Map.Entry<String, Integer> e : expectedShop.entrySet()) {
                    if (q.path("S-" + e.getKey()).asInt(-1) != e.getValue()) {
                        shopMissing++;
                    }
                }
                if (shopMissing == 0 && held[woo.length] == 0) {
                    held[woo.length] = System.nanoTime();
                }
                missing += shopMissing;
                if (missing == 0) {
                    return held;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(missing + " store quantities still differ after " + timeout);
                }
                if (System.currentTimeMillis() - lastNote > 15_000) {
                    step("  %,d store quantities still to arrive", missing);
                    lastNote = System.currentTimeMillis();
                }
                Thread.sleep(500);
            }
        }

        /** Per SKU: from its last update to the first set of its final quantity after it, in the sets of one store. */
        private List<Long> delays(JsonNode sets, long[] lastSent, Map<String, Integer> expected, String tag) {
            Map<String, Long> firstFinal = new HashMap<>();
            for (JsonNode s : sets) {
                String storeSku = s.get("sku").asText();
                if (!storeSku.startsWith(tag + "-")) {
                    continue;
                }
                String sku = storeSku.substring(tag.length() + 1);
                Integer want = expected.get(sku);
                int i = index(sku);
                long at = s.get("at").asLong();
                if (want != null && s.get("quantity").asInt() == want && lastSent[i] > 0 && at >= lastSent[i]) {
                    firstFinal.merge(sku, at, Math::min);
                }
            }
            List<Long> out = new ArrayList<>();
            firstFinal.forEach((sku, at) -> out.add(at - lastSent[index(sku)]));
            return out;
        }

        private Map<String, Integer> expected(int[] quantity, int count) {
            Map<String, Integer> out = new HashMap<>();
            for (int i = 0; i < count; i++) {
                out.put(sku(i), quantity[i] * 90 / 100);
            }
            return out;
        }

        private String sku(int i) {
            return "SB" + run + "-" + i;
        }

        private int index(String sku) {
            return Integer.parseInt(sku.substring(sku.lastIndexOf('-') + 1));
        }

        private static String pct(List<Long> values, int p) {
            if (values.isEmpty()) {
                return "n/a";
            }
            long v = percentile(values, p);
            return v >= 1000 ? String.format("%.1f s", v / 1000.0) : v + " ms";
        }

        private static long percentile(List<Long> values, int p) {
            List<Long> sorted = new ArrayList<>(values);
            sorted.sort(null);
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
        }

        /** How far p99 lies above the floor, in seconds. */
        private static String above(List<Long> delays, double floorSeconds) {
            return delays.isEmpty() ? "n/a" : String.format("%.1f s", percentile(delays, 99) / 1000.0 - floorSeconds);
        }

        private void step(String format, Object... args) {
            System.out.printf(
                    "bench stock: %6.1f s  %s%n",
                    Duration.between(started, Instant.now()).toMillis() / 1000.0, String.format(format, args));
        }
    }
}
