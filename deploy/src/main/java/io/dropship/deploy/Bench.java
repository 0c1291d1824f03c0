package io.dropship.deploy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Drives signed Shopify orders/paid webhooks at a fixed rate against the running fleet and prints
 * throughput and latency percentiles: webhook acknowledgement (HTTP answer), webhook to SupplierOrderRouted,
 * webhook to StockReserved, and webhook to PaymentCleared (the retailer's card charged through the fake Stripe: the
 * moment the supplier order goes to its supplier), as seen by a Kafka consumer in this process. Usage: {@code ./fleet bench [orders] [per second]}.
 */
final class Bench {

    private static final String SECRET = "bench-webhook-secret-0123456789";

    private Bench() {}

    static boolean run(List<Fleet.Service> services, java.nio.file.Path data, int orders, int perSecond) {
        try {
            return new Runner(services, FleetCpu.of(data), orders, perSecond).run();
        } catch (Exception e) {
            System.out.println("bench: FAILED  " + e);
            return false;
        }
    }

    private static final class Runner {
        /** Every call goes to the gateway's one API (port 8080): the services' own ports are internal. */
        private final String gateway;
        /** Where webhooks go: every gateway instance in turn, as a load balancer in front of them would send them. */
        private final List<String> gateways;

        private final List<Fleet.Service> services;
        private final int count;
        private final int perSecond;
        private final Map<String, Instant> sent = new ConcurrentHashMap<>();
        private final Map<String, Long> routed = new ConcurrentHashMap<>();
        private final Map<String, Long> reserved = new ConcurrentHashMap<>();
        private final Map<String, Long> cleared = new ConcurrentHashMap<>();
        private final List<Long> acks = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, String> orderIdByStoreOrder = new ConcurrentHashMap<>();
        /** Store orders answered 202 PENDING (queued behind a burst), with when they were sent: resolved to orders later. */
        private final Map<String, Instant> queued = new ConcurrentHashMap<>();

        /** The fleet's processes, for the CPU an order costs and what the fleet uses idle. */
        private final FleetCpu cpu;

        Runner(List<Fleet.Service> services, FleetCpu cpu, int count, int perSecond) {
            this.cpu = cpu;
            gateway = Fleet.url(services, "integration-gateway");
            gateways = services.stream()
                    .filter(s -> s.name().equals("integration-gateway"))
                    .map(Fleet.Service::url)
                    .toList();
            this.services = services;
            this.count = count;
            this.perSecond = perSecond;
        }

        boolean run() throws Exception {
            // Idle first, before the bench gives the fleet anything to do: what its pollers and heartbeats cost.
            double idle = cpu.available() ? cpu.idleCores(Duration.ofSeconds(10)) : Double.NaN;
            String run = UUID.randomUUID().toString().substring(0, 6);
            String shop = "bench-" + run + ".myshopify.com";
            String password = "bench passphrase " + run;
            String admin = Accounts.localAdmin(gateway);
            Accounts.User supplierUser = Accounts.supplier(
                    gateway, admin, "Bench Supply " + run, "supply-" + run + "@bench.test", "US", password);
            String supplier = supplierUser.id();
            String supplierToken = supplierUser.token();
            Api.ok(
                    "PUT",
                    gateway + "/api/supplier/products/BENCH-1",
                    supplierToken,
                    "{\"title\":\"Bench item\",\"wholesalePrice\":\"2.00\",\"shippingCost\":\"1.00\",\"currency\":\"USD\"}");
            Api.ok("PUT", gateway + "/api/supplier/stock/BENCH-1", supplierToken, "{\"quantity\":" + (count * 2) + "}");
            Accounts.User retailerUser =
                    Accounts.retailer(gateway, "Bench Shop " + run, "owner-" + run + "@bench.test", password);
            String retailer = retailerUser.id();
            String retailerToken = retailerUser.token();
            Api.ok(
                    "PUT",
                    gateway + "/api/billing/payment-method",
                    retailerToken,
                    "{\"email\":\"billing@" + retailer + ".test\",\"paymentMethodId\":\"pm_card_visa\"}");
            // ENTERPRISE has no monthly order limit: on the default plan every order past its 100th would wait
            // (PLAN_LIMIT) and never be charged, and the bench would measure holds instead of orders.
            Api.ok("POST", gateway + "/api/billing/subscription", retailerToken, "{\"plan\":\"ENTERPRISE\"}");
            Api.await(
                    gateway + "/api/billing/subscription",
                    retailerToken,
                    r -> "ACTIVE".equals(r.path("status").asText()),
                    Duration.ofSeconds(60));
            String listing = Api.ok(
                            "PUT",
                            gateway + "/api/listings/STORE-BENCH",
                            retailerToken,
                            "{\"title\":\"Bench\",\"offers\":[{\"supplierId\":\"" + supplier
                                    + "\",\"sku\":\"BENCH-1\"}]}")
                    .get("listingId")
                    .asText();
            Api.ok(
                    "POST",
                    gateway + "/api/stores",
                    retailerToken,
                    "{\"platform\":\"SHOPIFY\",\"shopDomain\":\"" + shop + "\",\"webhookSecret\":\"" + SECRET
                            + "\",\"apiToken\":\"bench\"}");
            String support = Accounts.support(gateway, admin, "support-" + run + "@bench.test", password);
            Api.await(
                    gateway + "/api/routing/listings/" + listing,
                    support,
                    l -> "ACTIVE".equals(l.at("/offers/0/offerStatus").asText()),
                    Duration.ofSeconds(30));

            AtomicBoolean listening = new AtomicBoolean(true);
            Thread listener = new Thread(() -> listen(listening), "bench-listener");
            listener.start();
            Thread.sleep(2000);

            System.out.printf(
                    "bench: %d signed Shopify orders/paid webhooks at %d/s to %s%s%n",
                    count,
                    perSecond,
                    shop,
                    gateways.size() > 1 ? ", in turn to " + gateways.size() + " gateway instances" : "");
            Shares shares = Shares.start(services);
            DatabaseWork databaseBefore = DatabaseWork.now();
            Map<String, Duration> cpuBefore = cpu.usedBy();
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(2))
                    .build();
            List<CompletableFuture<Void>> inFlight = new ArrayList<>();
            long intervalNanos = 1_000_000_000L / perSecond;
            long start = System.nanoTime();
            Instant began = Instant.now();
            for (int i = 0; i < count; i++) {
                long due = start + i * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                inFlight.add(send(http, shop, run, i));
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            double sendSeconds = Duration.between(began, Instant.now()).toMillis() / 1000.0;

            Instant deadline = Instant.now().plusSeconds(60);
            int queuedCount = queued.size();
            resolveQueued(shop, deadline);
            while (cleared.size() < orderIdByStoreOrder.size() && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            Map<String, Duration> cpuAfter = cpu.usedBy();
            Map<String, Duration> cpuBy = new java.util.LinkedHashMap<>();
            cpuAfter.forEach(
                    (label, used) -> cpuBy.put(label, used.minus(cpuBefore.getOrDefault(label, Duration.ZERO))));
            Duration cpuDuring = cpuBy.values().stream().reduce(Duration.ZERO, Duration::plus);
            listening.set(false);
            listener.join();
            double total = Duration.between(began, Instant.now()).toMillis() / 1000.0;

            List<Long> toRouted = latencies(routed);
            List<Long> toReserved = latencies(reserved);
            List<Long> toCleared = latencies(cleared);
            System.out.printf(
                    "bench: sent %d in %.1f s (%.0f/s); %d accepted (%d of them answered 202 and taken in behind the"
                            + " burst); %d routed, %d reserved, %d charged within %.1f s%n",
                    count,
                    sendSeconds,
                    count / sendSeconds,
                    orderIdByStoreOrder.size(),
                    queuedCount,
                    toRouted.size(),
                    toReserved.size(),
                    toCleared.size(),
                    total);
            print("webhook acknowledgement", new ArrayList<>(acks));
            print("webhook -> SupplierOrderRouted", toRouted);
            print("webhook -> StockReserved", toReserved);
            print("webhook -> PaymentCleared (dispatchable)", toCleared);
            shares.print(System.out);
            if (cpu.available()) {
                // Summed over the fleet's processes (services, PostgreSQL, Kafka) from /proc; this process not counted.
                System.out.printf(
                        "bench: fleet CPU %.1f ms per order (%.1f s over %d orders, %.2f cores on average);"
                                + " idle before the run: %.2f of a core%n",
                        cpuDuring.toMillis() / (double) Math.max(1, orderIdByStoreOrder.size()),
                        cpuDuring.toMillis() / 1000.0,
                        orderIdByStoreOrder.size(),
                        cpuDuring.toMillis() / 1000.0 / total,
                        idle);
                StringBuilder split = new StringBuilder("bench: fleet CPU per order by process:");
                cpuBy.entrySet().stream()
                        .sorted(Map.Entry.<String, Duration>comparingByValue().reversed())
                        .forEach(e -> split.append(String.format(
                                " %s %.1f ms",
                                e.getKey(),
                                e.getValue().toMillis() / (double) Math.max(1, orderIdByStoreOrder.size()))));
                System.out.println(split);
            }
            DatabaseWork.print(System.out, databaseBefore, DatabaseWork.after(), orderIdByStoreOrder.size());
            long twice = onceOnly(run, shop);
            return toCleared.size() == count && twice == 0;
        }

        /**
         * Every order handled once, from the services' databases and the fake Stripe: no store order taken in twice, no
         * order with a second supplier order, no order charged twice. Returns how many broke that.
         */
        private long onceOnly(String run, String shop) throws Exception {
            java.util.Set<String> orderIds = new java.util.HashSet<>(orderIdByStoreOrder.values());
            Map<String, Long> figures = new java.util.LinkedHashMap<>();
            try (java.sql.Connection c = Chaos.db("gateway")) {
                figures.put(
                        "store orders taken in twice",
                        Chaos.scalar(
                                c,
                                "select count(*) from (select store_order_id"
                                        + " from inbound_order where store_id = (select id from store_connection where shop_domain = ?)"
                                        + " group by store_order_id having count(*) > 1) twice",
                                shop));
            }
            try (java.sql.Connection c = Chaos.db("orders")) {
                figures.put(
                        "orders with more than one supplier order",
                        Chaos.scalar(
                                c,
                                "select count(*) from (select order_id"
                                        + " from supplier_order where order_id = any(cast(? as uuid[])) group by order_id having count(*) > 1) twice",
                                c.createArrayOf("text", orderIds.toArray())));
            }
            Map<String, Integer> charges = new java.util.HashMap<>();
            for (com.fasterxml.jackson.databind.JsonNode pi :
                    Chaos.stripeList("http://localhost:" + Fleet.FAKE_STORES_PORT, "payment_intents")) {
                if ("succeeded".equals(pi.path("status").asText())
                        && orderIds.contains(pi.path("transfer_group").asText())) {
                    charges.merge(pi.path("transfer_group").asText(), 1, Integer::sum);
                }
            }
            figures.put(
                    "orders charged more than once (Stripe)",
                    charges.values().stream().filter(n -> n > 1).count());
            System.out.println("bench: once only (" + charges.size() + " orders charged):");
            figures.forEach((k, v) -> System.out.printf("  %-44s %d%n", k, v));
            return figures.values().stream().mapToLong(Long::longValue).sum();
        }

        private CompletableFuture<Void> send(HttpClient http, String shop, String run, int i) {
            long id = Math.abs((long) (run + i).hashCode()) * 1000L + i;
            String storeOrderId = String.valueOf(id);
            byte[] body = ShopifyWebhooks.order(id, new String[] {"STORE-BENCH"}, new int[] {1}, new String[] {"9.99"});
            HttpRequest request = ShopifyWebhooks.ordersPaid(
                    gateways.get(i % gateways.size()),
                    shop,
                    ShopifyWebhooks.sign(SECRET, body),
                    UUID.randomUUID().toString(),
                    body);
            Instant at = Instant.now();
            long t0 = System.nanoTime();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenAccept(r -> {
                acks.add((System.nanoTime() - t0) / 1_000_000);
                try {
                    String orderId = Api.JSON.readTree(r.body()).path("orderId").asText(null);
                    if (r.statusCode() == 200 && orderId != null) {
                        orderIdByStoreOrder.put(storeOrderId, orderId);
                        sent.put(orderId, at);
                    } else if (r.statusCode() == 202) {
                        queued.put(storeOrderId, at);
                    }
                } catch (Exception ignored) {
                    // an answer that is not JSON counts as not accepted
                }
            });
        }

        private void listen(AtomicBoolean listening) {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    "127.0.0.1:" + Fleet.KAFKA_PORT,
                    ConsumerConfig.GROUP_ID_CONFIG,
                    "bench-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                    "latest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                    StringDeserializer.class.getName()))) {
                consumer.subscribe(List.of("SupplierOrderRouted", "StockReserved", "PaymentCleared"));
                while (listening.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        (r.topic().equals("StockReserved")
                                        ? reserved
                                        : r.topic().equals("PaymentCleared") ? cleared : routed)
                                .putIfAbsent(r.key(), now);
                    }
                }
            }
        }

        /**
         * The orders the gateway queued (202 PENDING) are taken in behind the burst: their ids are read from the
         * gateway's database as they appear, each timed from when its webhook was sent.
         */
        private void resolveQueued(String shop, Instant deadline) throws Exception {
            try (java.sql.Connection c = Chaos.db("gateway")) {
                while (!queued.isEmpty() && Instant.now().isBefore(deadline)) {
                    try (java.sql.PreparedStatement st = c.prepareStatement("select store_order_id, id::text from"
                            + " inbound_order where store_id = (select id from store_connection where shop_domain = ?)"
                            + " and store_order_id = any(?)")) {
                        st.setString(1, shop);
                        st.setArray(2, c.createArrayOf("text", queued.keySet().toArray()));
                        try (java.sql.ResultSet rs = st.executeQuery()) {
                            while (rs.next()) {
                                Instant at = queued.remove(rs.getString(1));
                                if (at != null) {
                                    orderIdByStoreOrder.put(rs.getString(1), rs.getString(2));
                                    sent.put(rs.getString(2), at);
                                }
                            }
                        }
                    }
                    if (!queued.isEmpty()) {
                        Thread.sleep(200);
                    }
                }
            }
        }

        private List<Long> latencies(Map<String, Long> seen) {
            List<Long> out = new ArrayList<>();
            sent.forEach((orderId, at) -> {
                Long t = seen.get(orderId);
                if (t != null) {
                    out.add(t - at.toEpochMilli());
                }
            });
            return out;
        }
    }

    private static void print(String what, List<Long> millis) {
        if (millis.isEmpty()) {
            System.out.printf("  %-42s no samples%n", what);
            return;
        }
        Collections.sort(millis);
        System.out.printf(
                "  %-42s p50 %5d ms   p95 %5d ms   p99 %5d ms   max %5d ms   (n=%d)%n",
                what, pct(millis, 50), pct(millis, 95), pct(millis, 99), millis.get(millis.size() - 1), millis.size());
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
