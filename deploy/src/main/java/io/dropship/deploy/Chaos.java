package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./fleet chaos [orders] [per second]}: a steady load of signed Shopify orders/paid webhooks, with suppliers
 * accepting and shipping, while the run SIGKILLs each service in turn (the launcher restarts it), restarts PostgreSQL
 * (every database's server at once),
 * kills the Kafka broker (the launcher starts it again), and sends a share of the webhooks twice, late, or after the
 * store's cancellation of the same order. When the fleet has settled it checks, from each service's database, the
 * fake stores and the fake Stripe, that nothing was lost and nothing done twice, prints each figure, and fails when a
 * figure that must be zero is not.
 */
final class Chaos {

    private static final PrintStream OUT = System.out;
    private static final String SECRET = "chaos-webhook-secret-0123456789";

    /** What the run does to the fleet, in order, spread over the load. */
    record Fault(String name, String target) {}

    static final List<Fault> ALL_FAULTS = List.of(
            new Fault("SIGKILL order-service", "order-service"),
            new Fault("SIGKILL inventory-service", "inventory-service"),
            new Fault("restart PostgreSQL", "postgresql"),
            new Fault("SIGKILL fulfillment-service", "fulfillment-service"),
            new Fault("SIGKILL settlement-service", "settlement-service"),
            new Fault("SIGKILL the Kafka broker", "kafka"),
            new Fault("SIGKILL integration-gateway", "integration-gateway"),
            new Fault("SIGKILL catalog-service", "catalog-service"));

    /** The figures a run ends with; {@link #mustBeZero()} names those that fail it. */
    record Result(Map<String, Long> figures, List<String> mustBeZero) {
        boolean ok() {
            return mustBeZero.stream().allMatch(k -> figures.getOrDefault(k, 0L) == 0L);
        }
    }

    private final List<Fleet.Service> services;
    private final Path data;
    /** Every call goes to the gateway's one API (port 8080): the services' own ports are internal. */
    private final String gateway;
    /** Where webhooks go: the gateway instances in turn, and a retry to the next one, as a load balancer does. */
    private final List<String> gateways;

    private final AtomicInteger nextGateway = new AtomicInteger();
    private final String fakeStores = "http://localhost:" + Fleet.FAKE_STORES_PORT;
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final String shop = "chaos-" + run + ".myshopify.com";

    /** When the gateway took each order in, and when its first supplier order reached a supplier (from their databases). */
    private final Map<String, Instant> takenInAt = new ConcurrentHashMap<>();

    private final Map<String, Instant> dispatchedAt = new ConcurrentHashMap<>();
    private final Set<Long> cancelledFirst = ConcurrentHashMap.newKeySet();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger late = new AtomicInteger();
    private final AtomicInteger webhookRetries = new AtomicInteger();
    private final AtomicInteger given503 = new AtomicInteger();
    private final AtomicInteger kept202 = new AtomicInteger();
    private final Scenario scenario;
    /** The password of the run's accounts (each run signs up its own). */
    private static final String PASSWORD =
            "chaos passphrase " + UUID.randomUUID().toString().substring(0, 8);

    private Chaos(List<Fleet.Service> services, Path data) {
        this.services = services;
        this.data = data;
        gateway = Fleet.url(services, "integration-gateway");
        gateways = services.stream()
                .filter(s -> s.name().equals("integration-gateway"))
                .map(Fleet.Service::url)
                .toList();
        scenario = new Scenario(gateway, fakeStores);
    }

    static boolean run(List<Fleet.Service> services, Path data, int count, int perSecond) {
        try {
            Result result = new Chaos(services, data).run(count, perSecond, ALL_FAULTS);
            OUT.println(result.ok() ? "chaos: OK" : "chaos: FAILED (a figure that must be 0 is not)");
            return result.ok();
        } catch (Exception e) {
            OUT.println("chaos: FAILED  " + e);
            e.printStackTrace(OUT);
            return false;
        }
    }

    /** The chaos run against a fleet this JVM started (the end-to-end test): same load, the given faults. */
    static Result run(List<Fleet.Service> services, Path data, int count, int perSecond, List<Fault> faults)
            throws Exception {
        return new Chaos(services, data).run(count, perSecond, faults);
    }

    private Result run(int count, int perSecond, List<Fault> faults) throws Exception {
        Instant began = Instant.now();
        String admin = Accounts.localAdmin(gateway);
        String support = Accounts.support(gateway, admin, "support-chaos-" + run + "@fleet.local", PASSWORD);
        Setup setup = setUp(admin, support, count);
        OUT.printf(
                "chaos: %d orders at %d/s to %s%s while: %s%n",
                count,
                perSecond,
                shop,
                gateways.size() > 1
                        ? " (" + services.size() / 6 + " instances of each service; webhooks to the gateways in turn)"
                        : "",
                String.join(", ", faults.stream().map(Fault::name).toList()));
        Shares shares = Shares.start(services);

        AtomicBoolean working = new AtomicBoolean(true);
        Thread suppliers = new Thread(() -> supplierWork(setup, working), "chaos-suppliers");
        suppliers.setDaemon(true);
        suppliers.start();

        ExecutorService senders = Executors.newFixedThreadPool(16);
        ScheduledExecutorService later = Executors.newScheduledThreadPool(2);
        List<java.util.concurrent.Future<?>> sends = Collections.synchronizedList(new ArrayList<>());
        Duration loadTime = Duration.ofMillis(1000L * count / perSecond);
        Map<Fault, Instant> faultAt = new ConcurrentHashMap<>();
        Map<Fault, Double> backAfter = new ConcurrentHashMap<>();
        Thread faulter = new Thread(() -> injectFaults(faults, loadTime, faultAt, backAfter), "chaos-faults");
        faulter.setDaemon(true);
        faulter.start();

        long interval = 1_000_000_000L / perSecond;
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            final int n = i;
            long storeOrderId = Math.abs((long) (run + i).hashCode()) * 1000L + i;
            // One line to either supplier; one line to each (the order splits); one line of the scarce product.
            String[] lines = n % 3 == 0
                    ? new String[] {"CH-ANY"}
                    : n % 3 == 1 ? new String[] {"CH-ACME", "CH-GLOBEX"} : new String[] {"CH-RARE"};
            byte[] body = ShopifyWebhooks.order(storeOrderId, lines, ones(lines.length), prices(lines.length));
            scenario.shopifyOrder(shop, storeOrderId, ones(lines.length));
            String eventId = UUID.randomUUID().toString();
            Instant triggered = Instant.now();
            if (n % 20 == 11) {
                // The store's cancellation overtakes the payment it follows: it is delivered first, the payment after.
                cancelledFirst.add(storeOrderId);
                String cancelled = Api.JSON
                        .readTree(body)
                        .deepCopy()
                        .toString()
                        .replaceFirst(
                                "\\{",
                                "{\"cancelled_at\":\"" + triggered.plusSeconds(30)
                                        + "\",\"cancel_reason\":\"customer\",");
                byte[] cancelBody = cancelled.getBytes(StandardCharsets.UTF_8);
                // The payment goes only once the cancellation was acknowledged: it truly arrives second.
                sends.add(senders.submit(() -> {
                    deliver(
                            "orders/cancelled",
                            UUID.randomUUID().toString(),
                            cancelBody,
                            triggered.plusSeconds(30),
                            storeOrderId);
                    sleep(2000);
                    deliver("orders/paid", eventId, body, triggered, storeOrderId);
                }));
                continue;
            }
            if (n % 20 == 7) {
                late.incrementAndGet();
                later.schedule(
                        () -> sends.add(
                                senders.submit(() -> deliver("orders/paid", eventId, body, triggered, storeOrderId))),
                        8 + n % 7,
                        TimeUnit.SECONDS);
                continue;
            }
            sends.add(senders.submit(() -> deliver("orders/paid", eventId, body, triggered, storeOrderId)));
            if (n % 10 == 3) {
                duplicates.incrementAndGet();
                later.schedule(
                        () -> sends.add(
                                senders.submit(() -> deliver("orders/paid", eventId, body, triggered, storeOrderId))),
                        1 + n % 4,
                        TimeUnit.SECONDS);
            }
        }
        double sendSeconds = Fleet.seconds(began);
        faulter.join();
        later.shutdown();
        later.awaitTermination(60, TimeUnit.SECONDS);
        synchronized (sends) {
            for (var f : new ArrayList<>(sends)) {
                f.get();
            }
        }
        senders.shutdown();
        OUT.printf(
                "chaos: load sent (%d webhooks, %d duplicates, %d late, %d cancellations first); %d retried by the"
                        + " store after 5xx or no answer (%d answered 503), %d kept for the platform's retry (202)%n",
                count,
                duplicates.get(),
                late.get(),
                cancelledFirst.size(),
                webhookRetries.get(),
                given503.get(),
                kept202.get());

        Map<String, Long> figures = settleAndCount(setup, admin, Duration.ofMinutes(15));
        working.set(false);
        suppliers.join(10_000);
        shares.print(OUT);

        OUT.println();
        OUT.println("chaos: after " + faults.size() + " faults, " + count + " orders, "
                + String.format("%.0f s", Fleet.seconds(began)));
        figures.forEach((k, v) -> OUT.printf("  %-66s %d%n", k, v));
        OUT.println("  recovery, counted from each fault:");
        for (Fault f : faults) {
            Instant at = faultAt.get(f);
            OUT.printf("    %-34s %s%n", f.name(), at == null ? "not injected" : recovery(at, backAfter.get(f)));
        }
        return new Result(figures, MUST_BE_ZERO);
    }

    static final List<String> MUST_BE_ZERO = List.of(
            "orders lost (accepted, then not routed, held or cancelled)",
            "store orders taken in twice",
            "orders whose store cancellation came first that were taken in",
            "supplier orders reserved but never shipped",
            "supplier orders dispatched twice (at a supplier, not live in order-service)",
            "stock items with reserved above on hand",
            "stock items whose reserved differs from their open reservations",
            "orders charged more than once (Stripe)",
            "shipped supplier orders never transferred (Stripe)",
            "supplier orders transferred more than once (Stripe)",
            "payments refunded above what was charged (Stripe)",
            "shipments whose tracking reached the store twice",
            "shipments whose tracking never reached the store",
            "events left in dead-letter topics");

    private record Setup(
            String acme, String acmeToken, String globex, String globexToken, String retailerToken, String storeId) {}

    private Setup setUp(String admin, String support, int count) throws Exception {
        Accounts.User acmeUser = Accounts.supplier(
                gateway, admin, "Acme Chaos " + run, "acme-chaos-" + run + "@supplier.test", "US", PASSWORD);
        Accounts.User globexUser = Accounts.supplier(
                gateway, admin, "Globex Chaos " + run, "globex-chaos-" + run + "@supplier.test", "US", PASSWORD);
        String acme = acmeUser.id();
        String globex = globexUser.id();
        String acmeToken = acmeUser.token();
        String globexToken = globexUser.token();
        scenario.product(acmeToken, "CH-A", "CH-A", "6.20", "2.00", count * 3);
        scenario.product(acmeToken, "CH-RARE", "CH-RARE", "9.00", "2.00", Math.max(2, count / 8));
        scenario.product(globexToken, "CH-B", "CH-B", "6.90", "2.00", count * 3);
        for (String token : List.of(acmeToken, globexToken)) {
            scenario.paidByStripe(token, "payouts@" + run + ".test");
        }
        Accounts.User retailerUser =
                Accounts.retailer(gateway, "Chaos Shop " + run, "owner-chaos-" + run + "@shop.test", PASSWORD);
        String retailer = retailerUser.id();
        String retailerToken = retailerUser.token();
        scenario.payingRetailer(retailerToken, "billing@" + retailer + ".test");
        List<String> listings = List.of(
                scenario.listing(retailerToken, "CH-ANY", "CH-ANY", acme + "|CH-A", globex + "|CH-B"),
                scenario.listing(retailerToken, "CH-ACME", "CH-ACME", acme + "|CH-A"),
                scenario.listing(retailerToken, "CH-GLOBEX", "CH-GLOBEX", globex + "|CH-B"),
                scenario.listing(retailerToken, "CH-RARE", "CH-RARE", acme + "|CH-RARE"));
        scenario.awaitRoutable(support, listings, Duration.ofSeconds(60));
        String shopToken = "shpat_chaos_" + run;
        Api.ok("POST", fakeStores + "/_fake/shopify/" + shop, null, "{\"accessToken\":\"" + shopToken + "\"}");
        String storeId = Api.ok(
                        "POST",
                        gateway + "/api/stores",
                        retailerToken,
                        "{\"platform\":\"SHOPIFY\",\"shopDomain\":\"" + shop + "\",\"webhookSecret\":\"" + SECRET
                                + "\",\"apiToken\":\"" + shopToken + "\"}")
                .get("storeId")
                .asText();
        OUT.printf(
                "chaos: suppliers Acme and Globex onboarded to Stripe Connect, retailer %s with a saved card, store %s%n",
                retailer, storeId);
        return new Setup(acme, acmeToken, globex, globexToken, retailerToken, storeId);
    }

    private static int[] ones(int n) {
        int[] q = new int[n];
        java.util.Arrays.fill(q, 1);
        return q;
    }

    private static String[] prices(int n) {
        String[] p = new String[n];
        java.util.Arrays.fill(p, "19.99");
        return p;
    }

    /**
     * Delivers a webhook as Shopify does: an answer that is not 2xx, or none at all, is retried with backoff (for up
     * to five minutes here; Shopify keeps at it for hours) with the same event id and payload.
     */
    private void deliver(String topic, String eventId, byte[] body, Instant triggered, long storeOrderId) {
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(5));
        long wait = 500;
        int attempt = nextGateway.getAndIncrement();
        while (Instant.now().isBefore(giveUp)) {
            String to = gateways.get(Math.floorMod(attempt++, gateways.size()));
            try {
                HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(to + "/webhooks/shopify"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .header("X-Shopify-Hmac-Sha256", ShopifyWebhooks.sign(SECRET, body))
                        .header("X-Shopify-Shop-Domain", shop)
                        .header("X-Shopify-Topic", topic)
                        .header("X-Shopify-Webhook-Id", UUID.randomUUID().toString())
                        .header("X-Shopify-Event-Id", eventId)
                        .header("X-Shopify-Triggered-At", triggered.toString())
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build();
                HttpResponse<String> answer = Api.deliver(request);
                if (answer.statusCode() == 202) {
                    kept202.incrementAndGet();
                }
                if (answer.statusCode() / 100 == 2) {
                    return;
                }
                if (answer.statusCode() == 503) {
                    given503.incrementAndGet();
                }
            } catch (IOException e) {
                // no answer: the gateway is down or restarting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            webhookRetries.incrementAndGet();
            sleep(wait);
            wait = Math.min(10_000, wait * 2);
        }
        OUT.println("chaos: a webhook for store order " + storeOrderId + " was never acknowledged in five minutes");
    }

    private void injectFaults(List<Fault> faults, Duration loadTime, Map<Fault, Instant> at, Map<Fault, Double> back) {
        Instant began = Instant.now();
        List<Thread> watches = new ArrayList<>();
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            sleep(loadTime.toMillis() / (faults.size() + 1));
            Instant t0 = Instant.now();
            try {
                Long before = Fleet.servicePids(data).get(f.target());
                inject(f);
                at.put(f, t0);
                OUT.printf(
                        "chaos: %-34s at %5.1f s%n",
                        f.name(), Duration.between(began, t0).toMillis() / 1000.0);
                // Watched on the side, so the next fault comes on schedule whatever this one takes.
                Thread watch = new Thread(
                        () -> {
                            try {
                                back.put(f, awaitBack(f, t0, before));
                            } catch (Exception e) {
                                back.put(f, Double.NaN);
                            }
                        },
                        "chaos-watch");
                watch.setDaemon(true);
                watch.start();
                watches.add(watch);
            } catch (Exception e) {
                OUT.println("chaos: could not " + f.name() + ": " + e);
            }
        }
        for (Thread w : watches) {
            try {
                w.join(TimeUnit.MINUTES.toMillis(4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void inject(Fault f) throws Exception {
        switch (f.target()) {
            case "postgresql" -> {
                Path control = data.resolve("control");
                Files.createDirectories(control);
                Files.writeString(control.resolve("restart-postgres"), "");
            }
            default -> {
                Long pid = Fleet.servicePids(data).get(f.target());
                if (pid == null) {
                    throw new IllegalStateException("no running " + f.target() + " in " + data.resolve("run.status"));
                }
                new ProcessBuilder("kill", "-KILL", String.valueOf(pid))
                        .inheritIO()
                        .start()
                        .waitFor();
            }
        }
    }

    /** Seconds until the fault's target serves again: a service ready, PostgreSQL restarted, a new broker up. */
    private double awaitBack(Fault f, Instant t0, Long before) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1))
                .build();
        while (Instant.now().isBefore(deadline)) {
            sleep(250);
            boolean back = switch (f.target()) {
                case "postgresql" -> !Files.exists(data.resolve("control").resolve("restart-postgres"));
                case "kafka" -> {
                    Long now = Fleet.servicePids(data).get("kafka");
                    yield now != null && !now.equals(before);
                }
                default -> {
                    Long now = Fleet.servicePids(data).get(f.target());
                    yield now != null
                            && !now.equals(before)
                            && Fleet.ready(
                                    http,
                                    services.stream()
                                            .filter(s -> s.name().equals(f.target()))
                                            .findFirst()
                                            .orElseThrow());
                }
            };
            if (back) {
                return Duration.between(t0, Instant.now()).toMillis() / 1000.0;
            }
        }
        return Double.NaN;
    }

    /**
     * How the fleet came back from a fault: when its target served again, and when the first order the gateway took
     * in after the fault reached its supplier (reserved and dispatched), both counted from the fault.
     */
    private String recovery(Instant faultAt, Double back) {
        Instant first = null;
        for (Map.Entry<String, Instant> e : takenInAt.entrySet()) {
            Instant dispatched = dispatchedAt.get(e.getKey());
            if (!e.getValue().isBefore(faultAt)
                    && dispatched != null
                    && (first == null || dispatched.isBefore(first))) {
                first = dispatched;
            }
        }
        String target =
                back == null || back.isNaN() ? "target not back" : String.format("target back in %5.1f s", back);
        return target
                + (first == null
                        ? "; no order taken in after it reached a supplier"
                        : String.format(
                                "; orders reach suppliers again %5.1f s after the fault",
                                Duration.between(faultAt, first).toMillis() / 1000.0));
    }

    /** Accepts and ships what each supplier has received, as a supplier's system would, until told to stop. */
    private void supplierWork(Setup setup, AtomicBoolean working) {
        Map<String, String> tokens = Map.of(setup.acme(), setup.acmeToken(), setup.globex(), setup.globexToken());
        while (working.get()) {
            for (String token : tokens.values()) {
                for (String status : List.of("RECEIVED", "ACCEPTED")) {
                    try {
                        for (JsonNode so : Api.ok(
                                        "GET",
                                        gateway + "/api/supplier/orders?status=" + status + "&limit=200",
                                        token,
                                        null)
                                .get("items")) {
                            String id = so.get("supplierOrderId").asText();
                            if (status.equals("RECEIVED")) {
                                Api.call("POST", gateway + "/api/supplier/orders/" + id + "/accept", token, null);
                            }
                            Api.call(
                                    "POST",
                                    gateway + "/api/supplier/orders/" + id + "/ship",
                                    token,
                                    "{\"carrier\":\"UPS\",\"trackingNumber\":\"1Z"
                                            + id.substring(id.length() - 8).toUpperCase() + "\"}");
                        }
                    } catch (Exception e) {
                        // fulfillment-service is down or restarting: the next round tries again
                    }
                }
            }
            sleep(1000);
        }
    }

    /**
     * Waits until the fleet is still (every order taken in is routed and shipped, held or cancelled, and the money has
     * caught up), then counts. Counts from the services' own databases, the fake Shopify and the fake Stripe.
     */
    private Map<String, Long> settleAndCount(Setup setup, String admin, Duration patience) throws Exception {
        Instant deadline = Instant.now().plus(patience);
        Map<String, Long> last = null;
        Instant stillSince = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            Map<String, Long> now = count(setup, admin);
            if (!now.equals(last)) {
                last = now;
                stillSince = Instant.now();
            }
            boolean settled = now.get("orders lost (accepted, then not routed, held or cancelled)") == 0
                    && now.get("supplier orders reserved but never shipped") == 0
                    && now.get("shipped supplier orders never transferred (Stripe)") == 0
                    && now.get("shipments whose tracking never reached the store") == 0;
            // Nothing changing for 6 minutes ends the wait even unsettled: longer than the 5-minute lease a store push
            // claimed just before a database outage waits out before it is tried again.
            if ((settled && Duration.between(stillSince, Instant.now()).toSeconds() >= 10)
                    || Duration.between(stillSince, Instant.now()).toSeconds() >= 360) {
                return now;
            }
            sleep(3000);
        }
        OUT.println("chaos: the fleet did not settle within " + patience);
        return last;
    }

    private Map<String, Long> count(Setup setup, String admin) throws Exception {
        Map<String, Long> f = new LinkedHashMap<>();
        List<String> orderIds = new ArrayList<>();
        long takenTwice;
        Set<String> takenStoreOrders = new HashSet<>();
        try (Connection c = db("gateway")) {
            for (Object[] r : rows(
                    c,
                    "select cast(id as text), store_order_id, received_at from inbound_order where store_id = ?",
                    setup.storeId())) {
                orderIds.add((String) r[0]);
                takenStoreOrders.add((String) r[1]);
                takenInAt.put((String) r[0], instant(r[2]));
            }
            takenTwice = orderIds.size() - takenStoreOrders.size();
        }
        f.put("orders accepted by the gateway", (long) orderIds.size());
        Map<String, String> status = new HashMap<>();
        Map<String, String> holdReason = new HashMap<>();
        Set<String> liveSupplierOrders = new HashSet<>();
        long notShipped = 0;
        try (Connection c = db("orders")) {
            for (Object[] r : rows(
                    c,
                    "select cast(id as text), status, hold_reason from customer_order where id = any(cast(? as uuid[]))",
                    c.createArrayOf("text", orderIds.toArray()))) {
                status.put((String) r[0], (String) r[1]);
                if (r[2] != null) {
                    holdReason.put((String) r[0], (String) r[2]);
                }
            }
            for (Object[] r : rows(
                    c,
                    "select cast(id as text), status from supplier_order where order_id = any(cast(? as uuid[]))",
                    c.createArrayOf("text", orderIds.toArray()))) {
                String s = (String) r[1];
                if (s.equals("RESERVED") || s.equals("SHIPPED") || s.equals("DELIVERED")) {
                    liveSupplierOrders.add((String) r[0]);
                }
                if (s.equals("RESERVED") || s.equals("ROUTED")) {
                    notShipped++;
                }
            }
        }
        long routed = status.values().stream()
                .filter(s -> Set.of("ROUTED", "PARTIALLY_SHIPPED", "SHIPPED", "DELIVERED")
                        .contains(s))
                .count();
        long held = status.values().stream().filter("ON_HOLD"::equals).count();
        long heldWithReason = status.entrySet().stream()
                .filter(e -> e.getValue().equals("ON_HOLD") && holdReason.containsKey(e.getKey()))
                .count();
        long cancelled = status.values().stream().filter("CANCELLED"::equals).count();
        f.put("  of them routed and reserved (or shipped)", routed);
        f.put("  on hold, with a reason", heldWithReason);
        f.put("  cancelled", cancelled);
        f.put(
                "orders lost (accepted, then not routed, held or cancelled)",
                orderIds.size() - routed - held - cancelled + (held - heldWithReason));
        f.put("store orders taken in twice", takenTwice);
        long cancelledReached = cancelledFirst.stream()
                .filter(id -> takenStoreOrders.contains(String.valueOf(id)))
                .count();
        f.put("orders whose store cancellation came first that were taken in", cancelledReached);
        f.put("supplier orders reserved but never shipped", notShipped);

        Map<String, String> dispatchedSupplierOrders = new HashMap<>();
        try (Connection c = db("fulfillment")) {
            for (Object[] r : rows(
                    c,
                    "select cast(id as text), status, cast(order_id as text), received_at from supplier_order"
                            + " where order_id = any(cast(? as uuid[]))",
                    c.createArrayOf("text", orderIds.toArray()))) {
                dispatchedSupplierOrders.put((String) r[0], (String) r[1]);
                dispatchedAt.merge((String) r[2], instant(r[3]), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        f.put(
                "supplier orders dispatched twice (at a supplier, not live in order-service)",
                dispatchedSupplierOrders.entrySet().stream()
                        .filter(e -> !Set.of("REJECTED", "CANCELLED").contains(e.getValue())
                                && !liveSupplierOrders.contains(e.getKey()))
                        .count());

        try (Connection c = db("inventory")) {
            f.put(
                    "stock items with reserved above on hand",
                    scalar(
                            c,
                            "select count(*) from stock_item where reserved > on_hand" + " and supplier_id in (?, ?)",
                            setup.acme(),
                            setup.globex()));
            f.put(
                    "stock items whose reserved differs from their open reservations",
                    scalar(
                            c,
                            "select count(*) from stock_item i"
                                    + " where i.supplier_id in (?, ?) and i.reserved <> coalesce((select sum(r.quantity) from reservation r"
                                    + " where r.supplier_id = i.supplier_id and r.sku = i.sku and r.status = 'RESERVED'), 0)",
                            setup.acme(),
                            setup.globex()));
        }

        // Stripe's side: the fake Stripe's own lists, paged as Stripe pages them.
        Map<String, Integer> chargesPerOrder = new HashMap<>();
        Map<String, Long> chargedPerIntent = new HashMap<>();
        for (JsonNode pi : stripeList("payment_intents")) {
            if ("succeeded".equals(pi.path("status").asText())
                    && orderIds.contains(pi.path("transfer_group").asText())) {
                chargesPerOrder.merge(pi.path("transfer_group").asText(), 1, Integer::sum);
                chargedPerIntent.put(pi.get("id").asText(), pi.path("amount").asLong());
            }
        }
        long payments;
        try (Connection c = db("settlement")) {
            payments = scalar(
                    c,
                    "select count(*) from payment where status = 'SUCCEEDED' and order_id = any(cast(? as uuid[]))",
                    c.createArrayOf("text", orderIds.toArray()));
        }
        f.put("  orders charged (Stripe), payments settlement took", (long) chargesPerOrder.size());
        f.put(
                "orders charged more than once (Stripe)",
                chargesPerOrder.values().stream().filter(n -> n > 1).count()
                        + Math.max(
                                0,
                                chargesPerOrder.values().stream()
                                                .mapToLong(Integer::longValue)
                                                .sum()
                                        - payments));
        Map<String, Integer> transfersPerSupplierOrder = new HashMap<>();
        for (JsonNode t : stripeList("transfers")) {
            String so = t.path("metadata").path("supplierOrderId").asText();
            if (dispatchedSupplierOrders.containsKey(so)) {
                transfersPerSupplierOrder.merge(so, 1, Integer::sum);
            }
        }
        long shipped = dispatchedSupplierOrders.values().stream()
                .filter(s -> s.equals("SHIPPED") || s.equals("DELIVERED"))
                .count();
        f.put("  supplier orders shipped, transferred to their supplier", shipped);
        f.put(
                "shipped supplier orders never transferred (Stripe)",
                Math.max(0, shipped - transfersPerSupplierOrder.size()));
        f.put(
                "supplier orders transferred more than once (Stripe)",
                transfersPerSupplierOrder.values().stream().filter(n -> n > 1).count());
        Map<String, Long> refunded = new HashMap<>();
        for (JsonNode r : stripeList("refunds")) {
            refunded.merge(r.path("payment_intent").asText(), r.path("amount").asLong(), Long::sum);
        }
        f.put(
                "payments refunded above what was charged (Stripe)",
                refunded.entrySet().stream()
                        .filter(e -> chargedPerIntent.containsKey(e.getKey())
                                && e.getValue() > chargedPerIntent.get(e.getKey()))
                        .count());

        long twice = 0;
        long tracked = 0;
        Set<String> trackingNumbers = new HashSet<>();
        for (String storeOrder : takenStoreOrders) {
            Api.Answer a = Api.call("GET", fakeStores + "/_fake/shopify/" + shop + "/orders/" + storeOrder, null, null);
            if (a.status() != 200) {
                continue;
            }
            Map<String, Integer> perNumber = new HashMap<>();
            for (JsonNode fulfilment : a.body().path("fulfillments")) {
                perNumber.merge(fulfilment.path("number").asText(), 1, Integer::sum);
                trackingNumbers.add(fulfilment.path("number").asText());
                tracked++;
            }
            twice += perNumber.values().stream().filter(n -> n > 1).count();
        }
        f.put("  shipments whose tracking reached the store", tracked);
        f.put("shipments whose tracking reached the store twice", twice);
        f.put("shipments whose tracking never reached the store", Math.max(0, shipped - trackingNumbers.size()));

        long dead = 0;
        for (Fleet.Service s : services) {
            Api.Answer a = Api.call("GET", s.url() + "/api/admin/dead-letters/summary", admin, null);
            if (a.status() == 200) {
                for (JsonNode c : a.body()) {
                    dead += c.path("dead").asLong();
                }
            }
        }
        f.put("events left in dead-letter topics", dead);
        return f;
    }

    private List<JsonNode> stripeList(String kind) throws Exception {
        return stripeList(fakeStores, kind);
    }

    /** One of the fake Stripe's lists (payment_intents, transfers, refunds), paged as Stripe pages them. */
    static List<JsonNode> stripeList(String fakeStores, String kind) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = Api.ok(
                    "GET",
                    fakeStores + "/stripe/v1/" + kind + "?limit=100"
                            + (after == null ? "" : "&starting_after=" + after),
                    Fleet.LOCAL_STRIPE_KEY,
                    null);
            page.path("data").forEach(all::add);
            after = page.path("has_more").asBoolean() && !all.isEmpty()
                    ? all.get(all.size() - 1).get("id").asText()
                    : null;
        } while (after != null);
        return all;
    }

    /** A connection to a service database, on its own server. */
    static Connection db(String database) throws SQLException {
        return db(database, database);
    }

    /** A connection to {@code database} on the server of the service database {@code server}. */
    static Connection db(String server, String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + FleetDatabases.port(server) + "/" + database, "postgres", "postgres");
    }

    static List<Object[]> rows(Connection c, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<Object[]> out = new ArrayList<>();
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Object[] row = new Object[columns];
                    for (int i = 0; i < columns; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    out.add(row);
                }
                return out;
            }
        }
    }

    private static Instant instant(Object value) {
        return value instanceof java.sql.Timestamp t
                ? t.toInstant()
                : value instanceof java.time.OffsetDateTime o ? o.toInstant() : Instant.parse(String.valueOf(value));
    }

    static long scalar(Connection c, String sql, Object... parameters) throws SQLException {
        return ((Number) rows(c, sql, parameters).get(0)[0]).longValue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
