package io.dropship.gateway.stock;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.gateway.stores.PushResult;
import io.dropship.gateway.stores.ShopifyAdminClient;
import io.dropship.gateway.stores.StoreRateLimiter;
import io.dropship.gateway.stores.StoreWork;
import io.dropship.gateway.stores.WooCommerceClient;
import io.dropship.platform.outbox.Retrying;
import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Sends stock to stores. Every poll it claims the pending listings that are due, groups them by store and, under
 * each store's rate limit (shared with the store's other calls), sends each listing's latest target:
 * <ul>
 *   <li>Shopify: {@code inventorySetQuantities}, up to 250 quantities a call, each compared with what the shop was
 *   last known to hold ({@code changeFromQuantity}; read first where unknown), with an idempotency key made from the
 *   call's content, so a retried call counts once and a different one never reuses a key. A quantity the shop
 *   changed meanwhile (a sale) is read back and sent again a moment later.</li>
 *   <li>WooCommerce: {@code products/batch}, up to 100 products a call, each managing its stock with the absolute
 *   quantity; hidden (draft) at zero and published again when restocked where the retailer chose to hide sold-out
 *   products.</li>
 * </ul>
 * 429 and 5xx wait for Retry-After or the backoff; other refusals keep the store's message and wait for the next
 * change.
 */
@ApplicationScoped
public class StockSyncer {

    private static final Logger LOG = Logger.getLogger(StockSyncer.class);
    static final int CLAIM = 2000;

    /**
     * A store's lane claims this much more of its own work as soon as it is done with the last (a WooCommerce store
     * at 4 calls of 100 a second: 2.5 s), up to {@link #ROUNDS_IN_LANE} times before it gives its lane back: a busy
     * store's calls follow each other without waiting for the next round, and a store with more work than that still
     * leaves the lanes to the other stores between its turns.
     */
    static final int CLAIM_IN_LANE = 1000;

    static final int ROUNDS_IN_LANE = 12;

    private final Vertx vertx;
    private final Mutiny.SessionFactory sessions;
    private final StockTargets targets;
    private final StoreConnections stores;
    private final ShopifyAdminClient shopify;
    private final WooCommerceClient woo;
    private final StoreRateLimiter limiter;
    private final GatewayConfig config;
    private final MeterRegistry meters;
    private final io.dropship.gateway.stores.StoreLanes lanes =
            new io.dropship.gateway.stores.StoreLanes("stock sync", 8);
    private volatile PeriodicJob job;
    private volatile io.micrometer.core.instrument.MultiGauge pending;
    private volatile io.micrometer.core.instrument.MultiGauge errors;
    private volatile long totalsAt;

    public StockSyncer(
            Vertx vertx,
            Mutiny.SessionFactory sessions,
            StockTargets targets,
            StoreConnections stores,
            ShopifyAdminClient shopify,
            WooCommerceClient woo,
            StoreRateLimiter limiter,
            GatewayConfig config,
            MeterRegistry meters) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.targets = targets;
        this.stores = stores;
        this.shopify = shopify;
        this.woo = woo;
        this.limiter = limiter;
        this.config = config;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        pending = io.micrometer.core.instrument.MultiGauge.builder("dropship.store.stock.pending")
                .description("Listings whose store does not yet hold their latest quantity")
                .register(meters);
        errors = io.micrometer.core.instrument.MultiGauge.builder("dropship.store.stock.errors")
                .description("Listings whose last stock call the store refused or failed")
                .register(meters);
        job = PeriodicJob.startWakeable(
                vertx.getDelegate(),
                config.storePush().pollInterval(),
                config.storePush().idlePollInterval(),
                "stock sync",
                this::poll);
        targets.whenDue(job::wake);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** One poll: claim what is due and hand it to the stores' lanes; whether there was work (claimed, or in a lane). */
    Uni<Boolean> poll() {
        Uni<Void> totals = Uni.createFrom().voidItem();
        // The per-store totals read every listing of every store: every 10 s is often enough for a gauge scraped
        // every 15 s, and every 2 s took a twelfth of the gateway database's time during a stock burst.
        if (System.nanoTime() - totalsAt > 10_000_000_000L) {
            totalsAt = System.nanoTime();
            totals = targets.pendingAndFailedByStore()
                    .invoke(stores -> {
                        pending.register(
                                stores.stream()
                                        .map(f -> io.micrometer.core.instrument.MultiGauge.Row.of(
                                                io.micrometer.core.instrument.Tags.of(
                                                        "store", f.storeId(), "platform", f.platform()),
                                                f.pending()))
                                        .toList(),
                                true);
                        errors.register(
                                stores.stream()
                                        .map(f -> io.micrometer.core.instrument.MultiGauge.Row.of(
                                                io.micrometer.core.instrument.Tags.of(
                                                        "store", f.storeId(), "platform", f.platform()),
                                                f.errors()))
                                        .toList(),
                                true);
                    })
                    .replaceWithVoid();
        }
        if (!lanes.free()) {
            return totals.replaceWith(true);
        }
        // Each store's work goes to its lane and the round does not wait for it: a slow store holds up no other.
        return totals.chain(() -> targets.claim(CLAIM, lanes.busy()))
                .invoke(claimed -> {
                    Map<String, List<StockTargets.Due>> byStore = new LinkedHashMap<>();
                    claimed.forEach(d -> byStore.computeIfAbsent(d.storeId(), k -> new ArrayList<>())
                            .add(d));
                    byStore.forEach(
                            (store, due) -> lanes.start(vertx.getDelegate(), store, () -> syncInLane(store, due, 1)));
                })
                .map(claimed -> !claimed.isEmpty() || !lanes.idle());
    }

    /** The store's claimed work, then more of its own while it has some, for up to {@link #ROUNDS_IN_LANE} rounds. */
    private Uni<Void> syncInLane(String storeId, List<StockTargets.Due> due, int round) {
        return syncStore(storeId, due)
                .chain(() -> round >= ROUNDS_IN_LANE
                        ? Uni.createFrom().voidItem()
                        : targets.claimStore(CLAIM_IN_LANE, storeId)
                                .chain(more -> more.isEmpty()
                                        ? Uni.createFrom().voidItem()
                                        : syncInLane(storeId, more, round + 1)));
    }

    private Uni<Void> syncStore(String storeId, List<StockTargets.Due> due) {
        return sessions.withSession(s -> s.find(StoreConnection.class, storeId)).chain(store -> {
            if (store == null || !"ACTIVE".equals(store.status)) {
                String why =
                        "the store is " + (store == null ? "gone" : store.status.toLowerCase()) + "; nothing was sent";
                return StoreWork.each(due, d -> settle("UNKNOWN", d, new PushResult.Failed(why), false));
            }
            String token = stores.apiToken(store);
            if (store.platform.equals("SHOPIFY")) {
                return shopifyStore(store, token, due);
            }
            if (store.platform.equals("WOOCOMMERCE")) {
                return wooStore(store, token, due);
            }
            // A custom store reads its stock through the gateway's API: nothing to send.
            return StoreWork.each(due, d -> targets.synced(d, d.target(), d.shouldHide()));
        });
    }

    private Uni<Void> shopifyStore(StoreConnection store, String token, List<StockTargets.Due> due) {
        Supplier<Uni<Void>> turn = () -> limiter.turn(store.id, config.shopify().callsPerSecond());
        List<StockTargets.Due> known =
                due.stream().filter(d -> d.inventoryItemId() != null).toList();
        Uni<Void> unknown = StoreWork.each(
                due.stream().filter(d -> d.inventoryItemId() == null).toList(),
                d -> settle(
                        "SHOPIFY",
                        d,
                        new PushResult.Failed(
                                "the shop's inventory item for this listing is not known; sync the listing again"),
                        false));
        return unknown.chain(() -> location(store, token, turn)).chain(location -> {
            if (location instanceof PushResult.Failed || location instanceof PushResult.Retry) {
                return StoreWork.each(known, d -> settle("SHOPIFY", d, location, false));
            }
            String locationId = ((PushResult.Done) location).reference();
            return StoreWork.inFlight(
                    StoreWork.chunks(known, ShopifyAdminClient.MAX_QUANTITIES),
                    config.storePush().callsInFlight(),
                    chunk -> shopifyChunk(store, token, locationId, chunk, turn));
        });
    }

    /** One inventorySetQuantities call; quantities not known in the shop are read first, so every one is compared. */
    private Uni<Void> shopifyChunk(
            StoreConnection store,
            String token,
            String locationId,
            List<StockTargets.Due> chunk,
            Supplier<Uni<Void>> turn) {
        List<String> unread = chunk.stream()
                .filter(d -> d.inStore() == null)
                .map(StockTargets.Due::inventoryItemId)
                .toList();
        Uni<Map<String, Integer>> read = unread.isEmpty()
                ? Uni.createFrom().item(Map.of())
                : shopify.readQuantities(store.shopDomain, token, locationId, unread, turn);
        return read.onFailure().recoverWithItem(e -> null).chain(inShop -> {
            if (inShop == null) {
                return StoreWork.each(
                        chunk,
                        d -> settle("SHOPIFY", d, PushResult.retry("the shop's quantities could not be read"), false));
            }
            List<ShopifyAdminClient.QuantityChange> changes = new ArrayList<>();
            StringBuilder content = new StringBuilder(store.id);
            for (StockTargets.Due d : chunk) {
                Integer from = d.inStore() != null ? d.inStore() : inShop.get(d.inventoryItemId());
                changes.add(new ShopifyAdminClient.QuantityChange(d.inventoryItemId(), d.target(), from));
                content.append('|')
                        .append(d.inventoryItemId())
                        .append(':')
                        .append(d.target())
                        .append(':')
                        .append(from)
                        .append(':')
                        .append(d.version());
            }
            String key = key(content.toString());
            return shopify.setQuantities(store.shopDomain, token, locationId, changes, key, turn)
                    .onFailure()
                    .recoverWithItem(
                            e -> java.util.Collections.nCopies(chunk.size(), PushResult.retry(String.valueOf(e))))
                    .chain(results -> {
                        // The quantities the shop took are recorded with one statement; the rest one by one below.
                        List<StockTargets.Took> took = new ArrayList<>();
                        List<Integer> rest = new ArrayList<>();
                        for (int i = 0; i < chunk.size(); i++) {
                            StockTargets.Due d = chunk.get(i);
                            if (results.get(i) instanceof PushResult.Done && d.shouldHide() == d.hidden()) {
                                took.add(new StockTargets.Took(d, d.hidden()));
                            } else {
                                rest.add(i);
                            }
                        }
                        return settleAll("SHOPIFY", took)
                                .chain(() -> StoreWork.each(rest, i -> {
                                    StockTargets.Due d = chunk.get(i);
                                    PushResult r = results.get(i);
                                    if (r instanceof PushResult.Stale stale) {
                                        // The shop sold some (or someone changed it): read what it holds, send
                                        // again shortly.
                                        meters.counter(
                                                        "dropship.store.stock.sync",
                                                        "platform",
                                                        "SHOPIFY",
                                                        "outcome",
                                                        "stale")
                                                .increment();
                                        return shopify.readQuantities(
                                                        store.shopDomain,
                                                        token,
                                                        locationId,
                                                        List.of(d.inventoryItemId()),
                                                        turn)
                                                .onFailure()
                                                .recoverWithItem(e -> Map.of())
                                                .chain(now -> targets.inStore(
                                                        d,
                                                        now.get(d.inventoryItemId()),
                                                        Duration.ofSeconds(2),
                                                        stale.error()));
                                    }
                                    if (r instanceof PushResult.Done && d.shouldHide() != d.hidden()) {
                                        // Sold out and the retailer hides sold-out products (or restocked and
                                        // hidden): the status too.
                                        return shopify.productStatus(
                                                        store.shopDomain,
                                                        token,
                                                        d.storeProductId(),
                                                        !d.shouldHide(),
                                                        turn)
                                                .onFailure()
                                                .recoverWithItem(e -> PushResult.retry(String.valueOf(e)))
                                                .chain(status -> status instanceof PushResult.Done
                                                        ? settle("SHOPIFY", d, r, d.shouldHide())
                                                        // The quantity is in; the status is retried with the next
                                                        // attempt.
                                                        : targets.inStore(
                                                                d,
                                                                d.target(),
                                                                Duration.ofSeconds(5),
                                                                "the quantity is set, the product's"
                                                                        + " status is not: " + status));
                                    }
                                    return settle("SHOPIFY", d, r, d.hidden());
                                }));
                    });
        });
    }

    private Uni<PushResult> location(StoreConnection store, String token, Supplier<Uni<Void>> turn) {
        return store.stockLocationId != null
                ? Uni.createFrom().item(new PushResult.Done(store.stockLocationId, "kept"))
                : shopify.primaryLocation(store.shopDomain, token, turn)
                        .onFailure()
                        .recoverWithItem(e -> PushResult.retry(String.valueOf(e)))
                        .call(r -> r instanceof PushResult.Done d
                                ? targets.location(store.id, d.reference())
                                : Uni.createFrom().voidItem());
    }

    private Uni<Void> wooStore(StoreConnection store, String token, List<StockTargets.Due> due) {
        WooCommerceClient.Credentials credentials;
        try {
            credentials = WooCommerceClient.Credentials.parse(token);
        } catch (IllegalArgumentException e) {
            return StoreWork.each(
                    due, d -> settle("WOOCOMMERCE", d, new PushResult.Failed(e.getMessage()), d.hidden()));
        }
        Supplier<Uni<Void>> turn =
                () -> limiter.turn(store.id, config.woocommerce().callsPerSecond());
        // Calls overlap (the limiter spaces their starts), so the store's rate is reached even when a call takes longer
        // than the spacing between two.
        return StoreWork.inFlight(
                StoreWork.chunks(due, WooCommerceClient.BATCH_LIMIT),
                config.storePush().callsInFlight(),
                batch -> {
                    List<WooCommerceClient.StockUpdate> updates = batch.stream()
                            .map(d -> new WooCommerceClient.StockUpdate(
                                    d.storeProductId(),
                                    d.target(),
                                    d.shouldHide() && !d.hidden()
                                            ? "draft"
                                            : !d.shouldHide() && d.hidden() ? "publish" : null))
                            .toList();
                    return turn.get()
                            .chain(() -> woo.stockBatch(store.shopDomain, credentials, updates))
                            .onFailure()
                            .recoverWithItem(e ->
                                    java.util.Collections.nCopies(batch.size(), PushResult.retry(String.valueOf(e))))
                            .chain(results -> {
                                List<StockTargets.Took> took = new ArrayList<>();
                                List<Integer> rest = new ArrayList<>();
                                for (int i = 0; i < batch.size(); i++) {
                                    if (results.get(i) instanceof PushResult.Done) {
                                        StockTargets.Due d = batch.get(i);
                                        took.add(new StockTargets.Took(d, d.shouldHide()));
                                    } else {
                                        rest.add(i);
                                    }
                                }
                                return settleAll("WOOCOMMERCE", took)
                                        .chain(() -> StoreWork.each(
                                                rest,
                                                i -> settle(
                                                        "WOOCOMMERCE",
                                                        batch.get(i),
                                                        results.get(i),
                                                        batch.get(i).shouldHide())));
                            });
                });
    }

    /** Records the listings a store call took, with one statement. */
    private Uni<Void> settleAll(String platform, List<StockTargets.Took> took) {
        if (took.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        meters.counter("dropship.store.stock.sync", "platform", platform, "outcome", "done")
                .increment(took.size());
        return Retrying.whileTransient("stock of " + took.size() + " listings' outcome", () -> targets.syncedAll(took));
    }

    /** Records one listing's outcome; {@code hiddenIfDone} is whether the store now hides the product. */
    private Uni<Void> settle(String platform, StockTargets.Due d, PushResult result, boolean hiddenIfDone) {
        meters.counter(
                        "dropship.store.stock.sync",
                        "platform",
                        platform,
                        "outcome",
                        result.getClass().getSimpleName().toLowerCase())
                .increment();
        return Retrying.whileTransient(
                "stock of listing " + d.listingId() + "'s outcome", () -> record(d, result, hiddenIfDone));
    }

    private Uni<Void> record(StockTargets.Due d, PushResult result, boolean hiddenIfDone) {
        if (result instanceof PushResult.Done) {
            return targets.synced(d, d.target(), hiddenIfDone);
        }
        if (result instanceof PushResult.Retry r) {
            Uni<Void> held = r.after() != null
                    ? limiter.pause(d.storeId(), r.after())
                    : Uni.createFrom().voidItem();
            return held.chain(() -> targets.failed(d, r.error(), true, r.after()));
        }
        String error = result instanceof PushResult.Failed f ? f.error() : "unexpected answer " + result;
        LOG.warnf("stock of listing %s to store %s refused: %s", d.listingId(), d.storeId(), error);
        return targets.failed(d, error, false, null);
    }

    static String key(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            String hex = HexFormat.of().formatHex(digest, 0, 16);
            return hex.substring(0, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16) + "-"
                    + hex.substring(16, 20) + "-" + hex.substring(20, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
