package io.dropship.gateway.listings;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Puts listings into their stores: every poll it claims the due ones, groups them by store and, under each store's
 * rate limit, creates or updates the products: Shopify one {@code productSet} per listing (several under way, paced
 * by the shop's cost budget), WooCommerce up to 100 per {@code products/batch}. Each listing's outcome is recorded on its own.
 */
@ApplicationScoped
public class ListingSyncer {

    private static final Logger LOG = Logger.getLogger(ListingSyncer.class);
    static final int CLAIM = 200;

    private final Vertx vertx;
    private final Mutiny.SessionFactory sessions;
    private final StoreListings listings;
    private final StoreConnections stores;
    private final ShopifyAdminClient shopify;
    private final WooCommerceClient woo;
    private final StoreRateLimiter limiter;
    private final GatewayConfig config;
    private final MeterRegistry meters;
    private final io.dropship.gateway.stores.StoreLanes lanes =
            new io.dropship.gateway.stores.StoreLanes("listing sync", 8);
    private volatile PeriodicJob job;

    public ListingSyncer(
            Vertx vertx,
            Mutiny.SessionFactory sessions,
            StoreListings listings,
            StoreConnections stores,
            ShopifyAdminClient shopify,
            WooCommerceClient woo,
            StoreRateLimiter limiter,
            GatewayConfig config,
            MeterRegistry meters) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.listings = listings;
        this.stores = stores;
        this.shopify = shopify;
        this.woo = woo;
        this.limiter = limiter;
        this.config = config;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.startWakeable(
                vertx.getDelegate(),
                config.storePush().pollInterval(),
                config.storePush().idlePollInterval(),
                "listing sync",
                this::poll);
        listings.whenDue(job::wake);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /**
     * One poll: claim what is due and sync it, several stores at a time, each in its own lane; whether there was work
     * (claimed, or still in a lane).
     */
    Uni<Boolean> poll() {
        if (!lanes.free()) {
            return Uni.createFrom().item(true);
        }
        // Each store's work goes to its lane and the round does not wait for it: a slow store holds up no other.
        return listings.claim(CLAIM, lanes.busy())
                .invoke(claimed -> {
                    Map<String, List<StoreListings.Claimed>> byStore = new LinkedHashMap<>();
                    claimed.forEach(c -> byStore.computeIfAbsent(c.storeId(), k -> new ArrayList<>())
                            .add(c));
                    byStore.forEach(
                            (store, due) -> lanes.start(vertx.getDelegate(), store, () -> syncStore(store, due)));
                })
                .map(claimed -> !claimed.isEmpty() || !lanes.idle());
    }

    private Uni<Void> syncStore(String storeId, List<StoreListings.Claimed> due) {
        return sessions.withSession(s -> s.find(StoreConnection.class, storeId)).chain(store -> {
            if (store == null || !"ACTIVE".equals(store.status)) {
                String why =
                        "the store is " + (store == null ? "gone" : store.status.toLowerCase()) + "; nothing was sent";
                return StoreWork.each(due, c -> settle(store, c, new PushResult.Failed(why)));
            }
            String token = stores.apiToken(store);
            if (store.platform.equals("SHOPIFY")) {
                Supplier<Uni<Void>> turn =
                        () -> limiter.turn(store.id, config.shopify().callsPerSecond());
                return StoreWork.inFlight(
                        due,
                        config.shopify().callsInFlight(),
                        c -> shopify.productSet(store.shopDomain, token, c, turn)
                                .onFailure()
                                .recoverWithItem(e -> PushResult.retry(String.valueOf(e)))
                                .chain(r -> settle(store, c, r)));
            }
            if (store.platform.equals("WOOCOMMERCE")) {
                WooCommerceClient.Credentials credentials;
                try {
                    credentials = WooCommerceClient.Credentials.parse(token);
                } catch (IllegalArgumentException e) {
                    return StoreWork.each(due, c -> settle(store, c, new PushResult.Failed(e.getMessage())));
                }
                List<List<StoreListings.Claimed>> batches = new ArrayList<>();
                for (int i = 0; i < due.size(); i += WooCommerceClient.BATCH_LIMIT) {
                    batches.add(due.subList(i, Math.min(due.size(), i + WooCommerceClient.BATCH_LIMIT)));
                }
                Supplier<Uni<Void>> turn =
                        () -> limiter.turn(store.id, config.woocommerce().callsPerSecond());
                return StoreWork.each(
                        batches,
                        batch -> turn.get()
                                .chain(() -> woo.productsBatch(store.shopDomain, credentials, batch))
                                .onFailure()
                                .recoverWithItem(e -> java.util.Collections.nCopies(
                                        batch.size(), PushResult.retry(String.valueOf(e))))
                                .chain(results -> settleAll(store, batch, results)));
            }
            // A custom store has no Admin API: it reads its listings through GET /api/stores/{id}/listings.
            return StoreWork.each(due, c -> listings.synced(c, null, null, null));
        });
    }

    /**
     * A batch's outcomes: the listings the store took are recorded with one statement, any other outcome (a refusal,
     * a retry, a product found by its SKU) on its own.
     */
    private Uni<Void> settleAll(StoreConnection store, List<StoreListings.Claimed> batch, List<PushResult> results) {
        List<StoreListings.Synced> listed = new ArrayList<>();
        List<Integer> others = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (results.get(i) instanceof PushResult.Listed l) {
                count(store, l);
                listed.add(new StoreListings.Synced(batch.get(i), l.productId(), l.variantId(), l.inventoryItemId()));
            } else {
                others.add(i);
            }
        }
        return Retrying.whileTransient(
                        listed.size() + " listings' sync outcomes in store " + store.id,
                        () -> listings.syncedAll(listed))
                .chain(() -> StoreWork.each(others, i -> settle(store, batch.get(i), results.get(i))));
    }

    private void count(StoreConnection store, PushResult result) {
        meters.counter(
                        "dropship.store.listing.sync",
                        "platform",
                        store == null ? "UNKNOWN" : store.platform,
                        "outcome",
                        result.getClass().getSimpleName().toLowerCase())
                .increment();
    }

    private Uni<Void> settle(StoreConnection store, StoreListings.Claimed c, PushResult result) {
        count(store, result);
        return Retrying.whileTransient("listing " + c.listingId() + "'s sync outcome", () -> record(c, store, result));
    }

    private Uni<Void> record(StoreListings.Claimed c, StoreConnection store, PushResult result) {
        if (result instanceof PushResult.Listed l) {
            return listings.synced(c, l.productId(), l.variantId(), l.inventoryItemId());
        }
        if (result instanceof PushResult.Found f) {
            LOG.infof(
                    "listing %s: store %s already holds product %s with its SKU; updating that one",
                    c.listingId(), c.storeId(), f.productId());
            return listings.found(c, f.productId())
                    .chain(taken -> taken
                            ? Uni.createFrom().voidItem()
                            : listings.failed(
                                    c,
                                    "Invalid or duplicated SKU. The store's product " + f.productId() + " with SKU "
                                            + c.sku() + " is linked to another listing.",
                                    false,
                                    null));
        }
        if (result instanceof PushResult.Retry r) {
            LOG.infof("listing %s to store %s: %s; retrying", c.listingId(), c.storeId(), r.error());
            Uni<Void> held = r.after() != null && store != null
                    ? limiter.pause(store.id, r.after())
                    : Uni.createFrom().voidItem();
            return held.chain(() -> listings.failed(c, r.error(), true, r.after()));
        }
        String error = result instanceof PushResult.Failed f ? f.error() : "unexpected answer " + result;
        LOG.warnf("listing %s to store %s refused: %s", c.listingId(), c.storeId(), error);
        return listings.failed(c, error, false, null);
    }
}
