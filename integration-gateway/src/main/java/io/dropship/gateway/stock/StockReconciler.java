package io.dropship.gateway.stock;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.gateway.stores.ShopifyAdminClient;
import io.dropship.gateway.stores.StoreRateLimiter;
import io.dropship.gateway.stores.WooCommerceClient;
import io.dropship.platform.work.OwnContext;
import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Reads stock back from the stores and corrects drift. Store webhooks get lost (WooCommerce never retries one) and
 * people edit quantities by hand, so every {@code every} each store's quantities are read, a page at a time under its
 * rate limit, and compared with what the gateway last sent; a listing that differs is due again, and its next sync
 * sets the right quantity, compared with what the store really holds. One store per round, the one read longest ago.
 */
@ApplicationScoped
public class StockReconciler {

    private static final Logger LOG = Logger.getLogger(StockReconciler.class);

    private final Vertx vertx;
    private final Mutiny.SessionFactory sessions;
    private final StockTargets targets;
    private final StoreConnections stores;
    private final ShopifyAdminClient shopify;
    private final WooCommerceClient woo;
    private final StoreRateLimiter limiter;
    private final GatewayConfig config;
    private final MeterRegistry meters;
    private final Duration every;
    private final Duration poll;
    private volatile PeriodicJob job;

    public StockReconciler(
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
        // Zero until drift is found, so dashboards and alerts see the series from the start.
        for (String platform : java.util.List.of("SHOPIFY", "WOOCOMMERCE")) {
            meters.counter("dropship.store.stock.drift", "platform", platform);
        }
        this.every = config.stock().reconcileEvery();
        this.poll = config.stock().reconcilePoll();
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(vertx.getDelegate(), poll, "stock reconciliation", this::reconcileNextStore);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    Uni<Void> reconcileNextStore() {
        return targets.nextToReconcile(every)
                .chain(storeId -> storeId == null
                        ? Uni.createFrom().voidItem()
                        : OwnContext.run(
                                vertx.getDelegate(),
                                () -> sessions.withSession(s -> s.find(StoreConnection.class, storeId))
                                        .chain(store -> reconcile(store, "", new int[2]))));
    }

    /** Page by page through the store's settled listings; {@code counts} holds read and drifted. */
    private Uni<Void> reconcile(StoreConnection store, String after, int[] counts) {
        boolean shopifyStore = store.platform.equals("SHOPIFY");
        int page = shopifyStore ? ShopifyAdminClient.MAX_QUANTITIES : WooCommerceClient.BATCH_LIMIT;
        return targets.settled(store.id, after, page).chain(listings -> {
            if (listings.isEmpty()) {
                if (counts[0] > 0) {
                    LOG.infof("stock reconciliation of store %s: %d read, %d drifted", store.id, counts[0], counts[1]);
                }
                return Uni.createFrom().voidItem();
            }
            return read(store, listings).chain(inStore -> {
                if (inStore == null) {
                    return Uni.createFrom().voidItem(); // the store could not be read: the next round tries again
                }
                Uni<Void> marks = Uni.createFrom().voidItem();
                for (StockTargets.Settled l : listings) {
                    String key = shopifyStore ? l.inventoryItemId() : l.storeProductId();
                    if (key == null || !inStore.containsKey(key)) {
                        continue; // not in the store any more: the listing sync owns that
                    }
                    counts[0]++;
                    Integer actual = inStore.get(key);
                    if (actual == null || actual != l.inStore()) {
                        counts[1]++;
                        meters.counter("dropship.store.stock.drift", "platform", store.platform)
                                .increment();
                        marks = marks.chain(() -> targets.drifted(l.listingId(), l.inStore(), actual)
                                .replaceWithVoid());
                    }
                }
                return marks.chain(() -> listings.size() < page
                        ? reconcile(store, "\uffff", counts)
                        : reconcile(store, listings.get(listings.size() - 1).listingId(), counts));
            });
        });
    }

    private Uni<Map<String, Integer>> read(StoreConnection store, List<StockTargets.Settled> listings) {
        String token = stores.apiToken(store);
        if (store.platform.equals("SHOPIFY")) {
            Supplier<Uni<Void>> turn =
                    () -> limiter.turn(store.id, config.shopify().callsPerSecond());
            // Not looked up yet: the stock sync has not set anything in this shop, so there is nothing to compare.
            return (store.stockLocationId == null
                            ? Uni.createFrom().<Map<String, Integer>>nullItem()
                            : shopify.readQuantities(
                                    store.shopDomain,
                                    token,
                                    store.stockLocationId,
                                    listings.stream()
                                            .map(StockTargets.Settled::inventoryItemId)
                                            .filter(java.util.Objects::nonNull)
                                            .toList(),
                                    turn))
                    .onFailure()
                    .recoverWithItem(e -> null);
        }
        WooCommerceClient.Credentials credentials;
        try {
            credentials = WooCommerceClient.Credentials.parse(token);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().nullItem();
        }
        return limiter.turn(store.id, config.woocommerce().callsPerSecond())
                .chain(() -> woo.stockOf(
                        store.shopDomain,
                        credentials,
                        listings.stream()
                                .map(StockTargets.Settled::storeProductId)
                                .toList()))
                .onFailure()
                .recoverWithItem(e -> null);
    }
}
