package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.IntFunction;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The catalog's two benchmarks, against the running fleet.
 * <ul>
 *   <li>{@code ./fleet bench search [products]}: loads that many products (2,000,000 by default) straight into the
 *   catalog database with COPY, once, then times searches through the HTTP API: full text, filters, typo fallback,
 *   browsing and deep pages, each class printed with its p50 / p95 / p99.</li>
 *   <li>{@code ./fleet bench import [rows]}: streams a generated CSV of that many rows (1,000,000 by default) to
 *   {@code POST /api/supplier/imports} as one upload and prints rows per second, and catalog-service's heap before
 *   and after, which shows the file is not held in memory; and what the import does to everybody else
 *   ({@link NoisyNeighbour}): another retailer's new listing timed to routable during it, and how fast each consumer
 *   of its events caught up.</li>
 * </ul>
 */
final class CatalogBench {

    private static final String[] ADJECTIVES = {
        "classic",
        "modern",
        "rustic",
        "vintage",
        "premium",
        "compact",
        "large",
        "small",
        "organic",
        "handmade",
        "portable",
        "wireless",
        "foldable",
        "waterproof",
        "ergonomic",
        "minimalist",
        "deluxe",
        "slim",
        "heavy-duty",
        "eco-friendly",
        "bright",
        "matte",
        "glossy",
        "soft",
        "durable",
        "lightweight"
    };
    private static final String[] MATERIALS = {
        "ceramic",
        "bamboo",
        "steel",
        "cotton",
        "linen",
        "leather",
        "oak",
        "walnut",
        "glass",
        "copper",
        "wool",
        "silicone",
        "marble",
        "cork",
        "canvas",
        "aluminium",
        "porcelain",
        "rattan",
        "jute"
    };
    private static final String[] COLOURS = {
        "black",
        "white",
        "sage",
        "navy",
        "terracotta",
        "grey",
        "mustard",
        "blush",
        "forest",
        "sand",
        "charcoal",
        "ivory",
        "teal",
        "rust",
        "olive"
    };
    private static final String[][] CATEGORIES = {
        {"Home > Kitchen > Mugs", "mug", "cup", "tumbler", "teapot"},
        {"Home > Kitchen > Cookware", "pan", "skillet", "saucepan", "wok", "dutch oven"},
        {"Home > Kitchen > Utensils", "spatula", "whisk", "ladle", "cutting board", "knife"},
        {"Home > Lighting", "lamp", "lantern", "pendant light", "sconce", "candle holder"},
        {"Home > Decor", "vase", "mirror", "picture frame", "planter", "clock", "cushion"},
        {"Home > Bedding", "duvet cover", "pillowcase", "throw blanket", "sheet set"},
        {"Home > Bath", "towel", "bath mat", "soap dish", "shower curtain"},
        {"Fashion > Women > Tops", "blouse", "tee", "tank top", "sweater", "cardigan"},
        {"Fashion > Men > Tops", "shirt", "polo", "hoodie", "henley"},
        {"Fashion > Accessories", "scarf", "belt", "wallet", "tote bag", "backpack", "beanie", "sunglasses"},
        {"Fashion > Shoes", "sneaker", "boot", "sandal", "loafer", "slipper"},
        {"Electronics > Audio", "headphones", "earbuds", "speaker", "soundbar"},
        {"Electronics > Accessories", "charger", "cable", "phone case", "power bank", "stand"},
        {"Garden > Tools", "trowel", "pruner", "watering can", "rake", "hose"},
        {"Garden > Outdoor", "bench", "hammock", "bird feeder", "fire pit", "parasol"},
        {"Sports > Fitness", "yoga mat", "dumbbell", "kettlebell", "resistance band", "water bottle"},
        {"Sports > Camping", "tent", "sleeping bag", "camp stove", "headlamp", "cooler"},
        {"Pets > Dogs", "dog bed", "leash", "collar", "chew toy", "dog bowl"},
        {"Pets > Cats", "cat tree", "scratching post", "litter box", "cat toy"},
        {"Toys > Kids", "puzzle", "building blocks", "plush toy", "kite", "board game"}
    };
    private static final String[] REGIONS = {
        "US-CA", "US-NY", "US-TX", "US", "GB", "DE", "FR", "NL", "PL", "CN", "CA", "AU"
    };
    private static final int SUPPLIERS = 250;

    private CatalogBench() {}

    static boolean search(List<Fleet.Service> services, int products) {
        try {
            // Searches go to the gateway's one API, as a storefront's would.
            String gateway = Fleet.url(services, "integration-gateway");
            String catalog = gateway;
            load(products);
            String run = UUID.randomUUID().toString().substring(0, 6);
            String token = Accounts.retailer(
                            gateway, "Search Bench " + run, "search-" + run + "@bench.test", "bench passphrase " + run)
                    .token();
            return searches(catalog, token);
        } catch (Exception e) {
            System.out.println("bench search: FAILED  " + e);
            return false;
        }
    }

    /** Loads bench suppliers and products straight into the catalog database, once: a run after it reuses them. */
    private static void load(int products) throws Exception {
        String url = "jdbc:postgresql://localhost:" + FleetDatabases.port("catalog") + "/catalog";
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
                Statement st = c.createStatement()) {
            long have;
            try (ResultSet rs =
                    st.executeQuery("select count(*) from supplier_product where supplier_id like 'bench-sup-%'")) {
                rs.next();
                have = rs.getLong(1);
            }
            if (have >= products) {
                System.out.printf("bench search: %,d bench products already loaded%n", have);
                titleWords(st);
                return;
            }
            System.out.printf(
                    "bench search: loading %,d products (COPY, once; later runs reuse them)...%n", products - have);
            long started = System.nanoTime();
            StringBuilder suppliers = new StringBuilder();
            for (int i = 0; i < SUPPLIERS; i++) {
                suppliers
                        .append(i == 0 ? "" : ",")
                        .append("('bench-sup-")
                        .append(i)
                        .append("','Bench Supplier ")
                        .append(i)
                        .append("','bench-")
                        .append(i)
                        .append("@bench.test','WHOLESALER','")
                        .append(REGIONS[i % REGIONS.length])
                        .append("','ACTIVE',now(),now())");
            }
            st.execute("insert into supplier (id, company_name, contact_email, business_type, ship_from_region, status,"
                    + " created_at, updated_at) values " + suppliers + " on conflict do nothing");
            CopyIn copy = ((PGConnection) c.unwrap(PGConnection.class))
                    .getCopyAPI()
                    .copyIn(
                            "copy supplier_product (supplier_id, sku, title, description, wholesale_price, shipping_cost, currency,"
                                    + " status, msrp, category, weight_grams, in_stock, ship_from, created_at, updated_at) from stdin");
            Random random = new Random(42);
            StringBuilder b = new StringBuilder(1 << 20);
            for (long n = have; n < products; n++) {
                row(b, n, random);
                if (b.length() > (1 << 20) - 4096) {
                    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    b.setLength(0);
                }
                if ((n + 1) % 250_000 == 0) {
                    System.out.printf("  %,d rows, %.0f s%n", n + 1, (System.nanoTime() - started) / 1e9);
                }
            }
            byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
            st.execute("analyze supplier_product");
            titleWords(st);
            System.out.printf("bench search: loaded in %.0f s%n", (System.nanoTime() - started) / 1e9);
        }
    }

    /**
     * The titles' words in the catalog's word list, as the product upsert adds them (COPY does not): what the typo
     * fallback corrects a misspelt word to. Filled once, when the list does not hold the bench's words yet.
     */
    private static void titleWords(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("select exists (select 1 from search_word where word = 'bamboo')")) {
            rs.next();
            if (rs.getBoolean(1)) {
                return;
            }
        }
        long started = System.nanoTime();
        int added = st.executeUpdate("insert into search_word (word) select distinct w from supplier_product p,"
                + " unnest(tsvector_to_array(to_tsvector('simple'::regconfig, p.title::text))) w"
                + " where p.supplier_id like 'bench-sup-%' on conflict do nothing");
        // Statistics of the grown list, or the planner reads all of it for each word instead of its trigram index
        // (28 ms against 0.3 for "bambo lampp 1" at 23,588 words); autovacuum would get there within a minute or so.
        st.execute("analyze search_word");
        System.out.printf(
                "bench search: %,d title words added to the word list in %.1f s%n",
                added, (System.nanoTime() - started) / 1e9);
    }

    private static void row(StringBuilder b, long n, Random r) {
        String[] cat = CATEGORIES[r.nextInt(CATEGORIES.length)];
        String noun = cat[1 + r.nextInt(cat.length - 1)];
        String title = cap(ADJECTIVES[r.nextInt(ADJECTIVES.length)]) + " " + MATERIALS[r.nextInt(MATERIALS.length)]
                + " " + noun + " " + COLOURS[r.nextInt(COLOURS.length)] + " " + (char) ('A' + r.nextInt(26))
                + (100 + r.nextInt(900));
        String description = "A " + ADJECTIVES[r.nextInt(ADJECTIVES.length)] + " " + noun + " made of "
                + MATERIALS[r.nextInt(MATERIALS.length)] + ", " + ADJECTIVES[r.nextInt(ADJECTIVES.length)] + " and "
                + ADJECTIVES[r.nextInt(ADJECTIVES.length)] + ". Pairs well with a " + COLOURS[r.nextInt(COLOURS.length)]
                + " "
                + CATEGORIES[r.nextInt(CATEGORIES.length)][1] + ". Ships in recycled packaging.";
        int cents = 150 + r.nextInt(20_000);
        b.append("bench-sup-")
                .append(n % SUPPLIERS)
                .append('\t')
                .append("B-")
                .append(n)
                .append('\t')
                .append(title)
                .append('\t')
                .append(description)
                .append('\t')
                .append(cents / 100)
                .append('.')
                .append(two(cents % 100))
                .append('\t')
                .append(r.nextInt(10))
                .append(".00\tUSD\t")
                .append(r.nextInt(20) == 0 ? "OUT_OF_STOCK" : "ACTIVE")
                .append('\t')
                .append(cents * 5 / 200)
                .append(".99\t")
                .append(cat[0])
                .append('\t')
                .append(50 + r.nextInt(5000))
                .append('\t')
                .append(r.nextInt(5) != 0 ? 't' : 'f')
                .append('\t')
                .append(regionPath(REGIONS[(int) (n % SUPPLIERS) % REGIONS.length]))
                .append('\t')
                .append(created(n))
                .append('\t')
                .append(created(n))
                .append('\n');
    }

    /** The supplier's region as catalog-service keeps it on each product: 'US-CA' -> {US,US-CA}. */
    private static String regionPath(String region) {
        int dash = region.indexOf('-');
        return dash < 0 ? "{" + region + "}" : "{" + region.substring(0, dash) + "," + region + "}";
    }

    /** Distinct creation times, so that NEWEST is a realistic order (ties are broken by supplier and SKU anyway). */
    private static String created(long n) {
        return java.time.Instant.parse("2026-01-01T00:00:00Z")
                .plusSeconds(n % 31_000_000)
                .toString();
    }

    private static String two(int v) {
        return v < 10 ? "0" + v : Integer.toString(v);
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static boolean searches(String catalog, String token) throws Exception {
        Random r = new Random(7);
        Map<String, IntFunction<String>> classes = new LinkedHashMap<>();
        classes.put("one word (q=lamp)", i -> "q=" + enc(CATEGORIES[3][1 + i % 5]));
        classes.put(
                "two words, ranked", i -> "q=" + enc(MATERIALS[i % MATERIALS.length] + " " + CATEGORIES[i % 20][1]));
        classes.put(
                "rare words (3 terms)",
                i -> "q="
                        + enc(ADJECTIVES[i % ADJECTIVES.length] + " " + MATERIALS[i % 19] + " "
                                + COLOURS[i % COLOURS.length]));
        classes.put(
                "words + category + price + in stock",
                i -> "q=" + enc(MATERIALS[i % 19]) + "&category=" + enc(CATEGORIES[i % 20][0])
                        + "&minPrice=10&maxPrice=80&inStock=true");
        classes.put(
                "words + ships from DE, by price",
                i -> "q=" + enc(CATEGORIES[i % 20][1]) + "&shipsFrom=DE&sort=PRICE_ASC");
        classes.put(
                "browse category, newest",
                i -> "category=" + enc(CATEGORIES[i % 20][0].split(" > ")[0]));
        classes.put("browse all by price, in stock", i -> "sort=PRICE_DESC&inStock=true&minPrice=" + (i % 50));
        classes.put("typo fallback (q=bambo lampp)", i -> "q=" + enc("bambo lampp " + i % 3));
        classes.put("one supplier's products", i -> "supplierId=bench-sup-" + (i % SUPPLIERS) + "&sort=PRICE_ASC");
        // Warm up: the JIT, the connection pool and PostgreSQL's buffers.
        for (int i = 0; i < 10; i++) {
            for (IntFunction<String> q : classes.values()) {
                get(catalog, token, q.apply(r.nextInt(1000)));
            }
        }
        int perClass = 60;
        List<Long> all = new ArrayList<>();
        System.out.printf(
                "%n%-38s %8s %8s %8s %8s%n", "search (" + perClass + " each)", "p50 ms", "p95 ms", "p99 ms", "hits");
        for (Map.Entry<String, IntFunction<String>> c : classes.entrySet()) {
            List<Long> times = new ArrayList<>();
            long hits = 0;
            for (int i = 0; i < perClass; i++) {
                long t = System.nanoTime();
                JsonNode page = get(catalog, token, c.getValue().apply(i));
                times.add(System.nanoTime() - t);
                hits += page.get("items").size();
            }
            all.addAll(times);
            print(c.getKey(), times, hits / perClass);
        }
        // Deep pages: following the cursor costs what the first page does.
        List<Long> deep = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String cursor = null;
            for (int p = 0; p < 10; p++) {
                String q = "q=" + enc(CATEGORIES[i][1]) + "&limit=50&sort=PRICE_ASC"
                        + (cursor == null ? "" : "&cursor=" + cursor);
                long t = System.nanoTime();
                JsonNode page = get(catalog, token, q);
                if (p > 0) {
                    deep.add(System.nanoTime() - t);
                }
                cursor = page.path("nextCursor").isTextual()
                        ? page.get("nextCursor").asText()
                        : null;
                if (cursor == null) {
                    break;
                }
            }
        }
        all.addAll(deep);
        print("pages 2-10 by cursor (limit 50)", deep, 50);
        print("all", all, -1);
        return true;
    }

    private static void print(String name, List<Long> nanos, long hits) {
        List<Long> s = new ArrayList<>(nanos);
        Collections.sort(s);
        System.out.printf(
                "%-38s %8.1f %8.1f %8.1f %8s%n",
                name, pct(s, 50), pct(s, 95), pct(s, 99), hits < 0 ? "" : Long.toString(hits));
    }

    private static double pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(i, sorted.size() - 1))) / 1e6;
    }

    private static JsonNode get(String catalog, String token, String query) throws Exception {
        HttpResponse<String> r =
                Api.deliver(HttpRequest.newBuilder(URI.create(catalog + "/api/catalog/products?" + query))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("search " + query + " answered " + r.statusCode() + ": " + r.body());
        }
        return Api.JSON.readTree(r.body());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static boolean importRows(List<Fleet.Service> services, int rows) {
        try {
            // The file is streamed through the gateway's one API to catalog-service, as a supplier's upload would be.
            String gateway = Fleet.url(services, "integration-gateway");
            String catalog = gateway;
            String admin = Accounts.localAdmin(gateway);
            String run = UUID.randomUUID().toString().substring(0, 6);
            String token = Accounts.supplier(
                            gateway,
                            admin,
                            "Import Bench " + run,
                            "import-" + run + "@bench.test",
                            "US",
                            "bench passphrase " + run)
                    .token();
            String catalogManagement = Fleet.SERVICES.stream()
                    .filter(x -> x.name().equals("catalog-service"))
                    .findFirst()
                    .orElseThrow()
                    .managementUrl();
            double heapBefore = heapMb(catalogManagement);
            NoisyNeighbour neighbour = NoisyNeighbour.start(gateway, admin, run);
            System.out.printf("bench import: streaming %,d CSV rows to %s/api/supplier/imports ...%n", rows, catalog);
            GeneratedCsv csv = new GeneratedCsv(rows);
            Instant importStarted = Instant.now();
            long started = System.nanoTime();
            HttpResponse<String> answer =
                    Api.deliver(HttpRequest.newBuilder(URI.create(catalog + "/api/supplier/imports?fileName=bench.csv"))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "text/csv")
                            .timeout(Duration.ofMinutes(30))
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> csv))
                            .build());
            double seconds = (System.nanoTime() - started) / 1e9;
            Instant importEnded = Instant.now();
            if (answer.statusCode() != 201) {
                neighbour.close();
                System.out.println("bench import: FAILED " + answer.statusCode() + " " + answer.body());
                return false;
            }
            JsonNode report = Api.JSON.readTree(answer.body());
            double heapAfter = heapMb(catalogManagement);
            System.out.printf(
                    "%nbench import: %,d rows (%.0f MB) in %.1f s = %,.0f rows/s (%,.0f rows/min)%n",
                    report.get("rowsRead").asLong(), csv.bytes / 1e6, seconds, rows / seconds, rows / seconds * 60);
            System.out.printf(
                    "  changed %,d, unchanged %,d, rejected %,d (the generator makes 1 row in 1,000 bad)%n",
                    report.get("rowsChanged").asLong(),
                    report.get("rowsUnchanged").asLong(),
                    report.get("rowsRejected").asLong());
            System.out.printf("  catalog-service heap used: %.0f MB before, %.0f MB after%n", heapBefore, heapAfter);
            try (neighbour) {
                neighbour.report(
                        importStarted, importEnded, report.get("rowsChanged").asLong());
            }
            return true;
        } catch (Exception e) {
            System.out.println("bench import: FAILED  " + e);
            return false;
        }
    }

    private static double heapMb(String catalogManagement) throws IOException, InterruptedException {
        HttpResponse<String> r = Api.deliver(HttpRequest.newBuilder(URI.create(catalogManagement + "/q/metrics"))
                .GET()
                .build());
        double sum = 0;
        for (String line : r.body().split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum / 1e6;
    }

    /** A CSV made as it is read: the bench never holds the file either. */
    private static final class GeneratedCsv extends InputStream {
        private final int rows;
        private final Random random = new Random(1);
        private int next = -1;
        private byte[] chunk = new byte[0];
        private int pos;
        long bytes;

        GeneratedCsv(int rows) {
            this.rows = rows;
        }

        private boolean fill() {
            if (next >= rows) {
                return false;
            }
            StringBuilder b = new StringBuilder(1 << 16);
            if (next < 0) {
                b.append(
                        "SKU,Product Name,Description,Wholesale Price,Shipping,RRP,Category,Weight (g),Image URL,Colour\n");
                next = 0;
            }
            while (next < rows && b.length() < (1 << 16) - 512) {
                String[] cat = CATEGORIES[random.nextInt(CATEGORIES.length)];
                String noun = cat[1 + random.nextInt(cat.length - 1)];
                int cents = 150 + random.nextInt(20_000);
                String price = next % 1000 == 999 ? "n/a" : cents / 100 + "." + two(cents % 100);
                b.append("IMP-")
                        .append(next)
                        .append(',')
                        .append(cap(ADJECTIVES[random.nextInt(ADJECTIVES.length)]))
                        .append(' ')
                        .append(MATERIALS[random.nextInt(MATERIALS.length)])
                        .append(' ')
                        .append(noun)
                        .append(",\"A ")
                        .append(noun)
                        .append(", well made, \"\"bench\"\" edition\",")
                        .append(price)
                        .append(",4.95,")
                        .append(cents * 5 / 200)
                        .append(".99,")
                        .append(cat[0])
                        .append(',')
                        .append(100 + random.nextInt(3000))
                        .append(",https://cdn.bench.test/")
                        .append(next)
                        .append(".jpg,")
                        .append(COLOURS[random.nextInt(COLOURS.length)])
                        .append('\n');
                next++;
            }
            chunk = b.toString().getBytes(StandardCharsets.UTF_8);
            bytes += chunk.length;
            pos = 0;
            return true;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= chunk.length && !fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
