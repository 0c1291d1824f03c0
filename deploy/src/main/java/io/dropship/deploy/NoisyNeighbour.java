package io.dropship.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What a supplier's big import does to everybody else, for {@code ./fleet bench import}. While the import runs,
 * another retailer lists another supplier's product every {@link #EVERY} and each listing is timed from its PUT until
 * order-service would route it (the support view of routing shows its offer ACTIVE). And each consumer group of
 * {@code SupplierProductChanged} is followed by its lag (the topic's end offsets less the group's committed ones), so
 * the bench prints how fast each drained the import's products (SupplierProductsChanged events of up to 200) and
 * how long after the import's end it had them all.
 */
final class NoisyNeighbour implements AutoCloseable {

    static final Duration EVERY = Duration.ofSeconds(15);

    static final String TOPIC = "SupplierProductChanged";

    /** catalog-service's SupplierProducts.PRODUCTS_PER_EVENT: an import's products to a SupplierProductsChanged. */
    static final long PRODUCTS_PER_EVENT = 200;

    /** The consumers of SupplierProductChanged, by group. */
    static final List<String> GROUPS = List.of("order-service.supplier-product-changed", "catalog-service.repricing");

    private final Scenario scenario;
    private final String gateway;
    private final String run;
    private final String retailerToken;
    private final String supportToken;
    private final String supplierId;
    private final Admin kafka;
    private final Map<String, Long> committedAtStart;
    private final long endAtStart;
    private final List<Long> listingMillis = Collections.synchronizedList(new ArrayList<>());
    private final List<String> misses = Collections.synchronizedList(new ArrayList<>());
    private final Thread sampler;
    private volatile boolean importing = true;

    private NoisyNeighbour(String gateway, String adminToken, String run) throws Exception {
        this.gateway = gateway;
        this.run = run;
        this.scenario = new Scenario(gateway, "http://localhost:" + Fleet.FAKE_STORES_PORT);
        String password = "bench passphrase " + run;
        Accounts.User supplier = Accounts.supplier(
                gateway, adminToken, "Neighbour Supply " + run, "neighbour-" + run + "@bench.test", "GB", password);
        this.supplierId = supplier.id();
        scenario.product(supplier.token(), "NB-1", "Neighbour lamp", "9.00", "2.00", 1_000);
        this.retailerToken = Accounts.retailer(
                        gateway, "Neighbour Shop " + run, "neighbour-shop-" + run + "@bench.test", password)
                .token();
        this.supportToken = Accounts.support(gateway, adminToken, "neighbour-support-" + run + "@bench.test", password);
        // Routable before the import starts: what is timed below is the listing alone.
        scenario.awaitRoutable(
                supportToken,
                List.of(scenario.listing(retailerToken, "NB-0", "Neighbour lamp", supplierId + "|NB-1")),
                Duration.ofMinutes(2));
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:" + Fleet.KAFKA_PORT);
        this.kafka = Admin.create(p);
        this.committedAtStart = committed();
        this.endAtStart = endOffset();
        this.sampler = new Thread(this::sample, "bench-neighbour");
    }

    /** Sets the neighbour up (a supplier, its product and stock, a retailer, a support agent) and starts listing. */
    static NoisyNeighbour start(String gateway, String adminToken, String run) throws Exception {
        NoisyNeighbour n = new NoisyNeighbour(gateway, adminToken, run);
        n.sampler.start();
        return n;
    }

    private void sample() {
        int i = 0;
        try {
            while (importing) {
                Thread.sleep(EVERY.toMillis());
                if (!importing) {
                    return;
                }
                i++;
                long t0 = System.nanoTime();
                try {
                    String listing = scenario.listing(
                            retailerToken, "NB-" + run + "-" + i, "Neighbour lamp " + i, supplierId + "|NB-1");
                    scenario.awaitRoutable(supportToken, List.of(listing), Duration.ofMinutes(10));
                    listingMillis.add((System.nanoTime() - t0) / 1_000_000);
                } catch (Exception e) {
                    misses.add("listing " + i + ": " + e.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The import has ended, having changed {@code changed} products: waits for the listing being timed, then for the
     * import's events to be on the topic and every group to hold them, and prints the figures.
     */
    void report(Instant importStarted, Instant importEnded, long changed) throws Exception {
        importing = false;
        sampler.join();
        Map<String, Double> caughtUp = new LinkedHashMap<>();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(30));
        // The import publishes its products PRODUCTS_PER_EVENT or fewer to a record: all of them are on the topic once
        // at least that many records came and the topic's end stood still for five seconds.
        long leastRecords = (changed + PRODUCTS_PER_EVENT - 1) / PRODUCTS_PER_EVENT;
        long end = 0;
        long lastEnd = -1;
        Instant endSince = Instant.now();
        Map<String, Instant> reached = new HashMap<>(); // when each group first had everything up to the end
        while (caughtUp.size() < GROUPS.size() && Instant.now().isBefore(deadline)) {
            end = endOffset();
            if (end != lastEnd) {
                lastEnd = end;
                endSince = Instant.now();
            }
            boolean published = end >= endAtStart + leastRecords
                    && Duration.between(endSince, Instant.now()).toSeconds() >= 5;
            Map<String, Long> now = committed();
            for (String group : GROUPS) {
                if (now.getOrDefault(group, 0L) < end) {
                    reached.remove(group);
                } else {
                    reached.putIfAbsent(group, Instant.now());
                }
                if (!caughtUp.containsKey(group) && published && reached.containsKey(group)) {
                    caughtUp.put(
                            group,
                            Duration.between(importEnded, reached.get(group)).toMillis() / 1000.0);
                }
            }
            Thread.sleep(500);
        }
        Map<String, Long> last = committed();
        System.out.println("  consumers of SupplierProductChanged (committed offsets; commits trail by up to 5 s):");
        for (String group : GROUPS) {
            long drained = last.getOrDefault(group, 0L) - committedAtStart.getOrDefault(group, 0L);
            Double after = caughtUp.get(group);
            double seconds =
                    Duration.between(importStarted, importEnded).toMillis() / 1000.0 + (after == null ? 0 : after);
            System.out.printf(
                    "    %-40s %,d records (%,d products), %,.0f products a second from the import's start; %s%n",
                    group,
                    drained,
                    after == null ? 0 : changed,
                    after == null ? 0 : changed / seconds,
                    after == null
                            ? "still behind after 30 minutes (" + (end - last.getOrDefault(group, 0L)) + " left)"
                            : String.format("all in %.1f s after the import's end", after));
        }
        List<Long> sorted = new ArrayList<>(listingMillis);
        sorted.sort(null);
        System.out.printf(
                "  another retailer's new listing -> routable in order-service, during the import (one every %d s):"
                        + " %d timed, p50 %s, max %s%s%n",
                EVERY.toSeconds(),
                sorted.size(),
                sorted.isEmpty() ? "n/a" : seconds(sorted.get(sorted.size() / 2)),
                sorted.isEmpty() ? "n/a" : seconds(sorted.get(sorted.size() - 1)),
                misses.isEmpty() ? "" : "; not routable: " + misses);
        System.out.println("    each in order: "
                + listingMillis.stream().map(NoisyNeighbour::seconds).collect(Collectors.joining(", ")));
    }

    private static String seconds(long millis) {
        return String.format("%.1f s", millis / 1000.0);
    }

    /** Per group, the sum of its committed offsets on the topic. */
    private Map<String, Long> committed() throws Exception {
        Map<String, Long> out = new HashMap<>();
        for (String group : GROUPS) {
            Map<TopicPartition, OffsetAndMetadata> offsets = kafka.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            out.put(
                    group,
                    offsets.entrySet().stream()
                            .filter(e -> e.getKey().topic().equals(TOPIC) && e.getValue() != null)
                            .mapToLong(e -> e.getValue().offset())
                            .sum());
        }
        return out;
    }

    /** The sum of the topic's end offsets: every event it holds. */
    private long endOffset() throws Exception {
        int partitions = kafka.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get()
                .get(TOPIC)
                .partitions()
                .size();
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            ask.put(new TopicPartition(TOPIC, p), OffsetSpec.latest());
        }
        return kafka.listOffsets(ask).all().get().values().stream()
                .mapToLong(i -> i.offset())
                .sum();
    }

    @Override
    public void close() {
        importing = false;
        sampler.interrupt();
        kafka.close(Duration.ofSeconds(5));
    }
}
