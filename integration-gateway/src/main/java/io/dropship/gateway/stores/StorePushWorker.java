package io.dropship.gateway.stores;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.gateway.entity.StoreConnection;
import io.dropship.gateway.messaging.events.Shipped;
import io.dropship.gateway.service.StoreConnections;
import io.dropship.platform.outbox.Retrying;
import io.dropship.platform.work.OwnContext;
import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Makes the calls the gateway owes stores: every poll it claims the due ones, waits for each store's turn
 * under its rate limit, calls the store, and records what came of it. Several gateway instances share
 * the work through the claim's lease.
 */
@ApplicationScoped
public class StorePushWorker {

    private static final Logger LOG = Logger.getLogger(StorePushWorker.class);

    private final Vertx vertx;
    private final Mutiny.SessionFactory sessions;
    private final StorePushes pushes;
    private final StoreConnections stores;
    private final ShopifyAdminClient shopify;
    private final WooCommerceClient woo;
    private final StoreRateLimiter limiter;
    private final GatewayConfig config;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private volatile PeriodicJob job;

    public StorePushWorker(
            Vertx vertx,
            Mutiny.SessionFactory sessions,
            StorePushes pushes,
            StoreConnections stores,
            ShopifyAdminClient shopify,
            WooCommerceClient woo,
            StoreRateLimiter limiter,
            GatewayConfig config,
            ObjectMapper mapper,
            MeterRegistry meters) {
        this.vertx = vertx;
        this.sessions = sessions;
        this.pushes = pushes;
        this.stores = stores;
        this.shopify = shopify;
        this.woo = woo;
        this.limiter = limiter;
        this.config = config;
        this.mapper = mapper;
        this.meters = meters;
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.startWakeable(
                vertx.getDelegate(),
                config.storePush().pollInterval(),
                config.storePush().idlePollInterval(),
                "store push poll",
                this::poll);
        pushes.whenDue(job::wake);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** One poll: claim what is due and work through it, several stores at a time; whether there was any. */
    Uni<Boolean> poll() {
        return pushes.claim()
                .chain(claimed -> Multi.createFrom()
                        .iterable(claimed)
                        .onItem()
                        .transformToUni(push -> onOwnContext(() -> run(push)))
                        .merge(8)
                        .collect()
                        .last()
                        .replaceWith(!claimed.isEmpty()));
    }

    private Uni<Void> run(StorePushes.Claimed push) {
        return sessions.withSession(s -> s.find(StoreConnection.class, push.storeId()))
                .chain(store -> {
                    if (store == null || !"ACTIVE".equals(store.status)) {
                        return settle(
                                push,
                                store,
                                new PushResult.Failed(
                                        "the store is " + (store == null ? "gone" : store.status.toLowerCase())
                                                + "; nothing was sent"));
                    }
                    if (StorePushes.CANCEL.equals(push.kind())) {
                        io.dropship.gateway.messaging.events.OrderStatusChanged cancelled;
                        try {
                            cancelled = mapper.readValue(
                                    push.payload(), io.dropship.gateway.messaging.events.OrderStatusChanged.class);
                        } catch (Exception e) {
                            return settle(
                                    push, store, new PushResult.Failed("unreadable cancellation: " + e.getMessage()));
                        }
                        return cancel(push, store, cancelled)
                                .onFailure()
                                .recoverWithItem(e -> PushResult.retry(String.valueOf(e)))
                                .chain(result -> settle(push, store, result));
                    }
                    Shipped shipment;
                    try {
                        shipment = mapper.readValue(push.payload(), Shipped.class);
                    } catch (Exception e) {
                        return settle(push, store, new PushResult.Failed("unreadable shipment: " + e.getMessage()));
                    }
                    return call(push, store, shipment)
                            .onFailure()
                            .recoverWithItem(e -> PushResult.retry(String.valueOf(e)))
                            .chain(result -> settle(push, store, result));
                });
    }

    /** The store cancels the order: Shopify refunds and tells the customer; WooCommerce adds the customer's note. */
    private Uni<PushResult> cancel(
            StorePushes.Claimed push,
            StoreConnection store,
            io.dropship.gateway.messaging.events.OrderStatusChanged cancelled) {
        String token = stores.apiToken(store);
        String storeOrderId = cancelled.storeOrderId();
        if (storeOrderId == null) {
            return Uni.createFrom().item(new PushResult.Failed("the cancellation names no store order"));
        }
        boolean firstTry = push.attempts() <= 1;
        if (store.platform.equals("SHOPIFY")) {
            String note = "Cancelled by the dropship platform: " + cancelled.reason()
                    + (cancelled.customerMessage() == null ? "" : " | To the customer: " + cancelled.customerMessage());
            return shopify.cancel(
                    store.shopDomain,
                    token,
                    storeOrderId,
                    "EXPIRY".equals(cancelled.source()) || "ON_HOLD".equals(cancelled.previousStatus()),
                    note,
                    firstTry,
                    () -> limiter.turn(store.id, config.shopify().callsPerSecond()));
        }
        WooCommerceClient.Credentials credentials;
        try {
            credentials = WooCommerceClient.Credentials.parse(token);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new PushResult.Failed(e.getMessage()));
        }
        return woo.cancel(
                store.shopDomain,
                credentials,
                storeOrderId,
                cancelled.customerMessage(),
                firstTry,
                () -> limiter.turn(store.id, config.woocommerce().callsPerSecond()));
    }

    private Uni<PushResult> call(StorePushes.Claimed push, StoreConnection store, Shipped shipment) {
        String token = stores.apiToken(store);
        if (store.platform.equals("SHOPIFY")) {
            return shopify.fulfil(
                    store.shopDomain,
                    token,
                    shipment,
                    () -> limiter.turn(store.id, config.shopify().callsPerSecond()));
        }
        WooCommerceClient.Credentials credentials;
        try {
            credentials = WooCommerceClient.Credentials.parse(token);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().item(new PushResult.Failed(e.getMessage()));
        }
        Supplier<Uni<Void>> turn =
                () -> limiter.turn(store.id, config.woocommerce().callsPerSecond());
        Uni<PushResult> note = push.step().equals("NOTE")
                ? turn.get()
                        .chain(() -> woo.addTrackingNote(store.shopDomain, credentials, shipment, push.attempts() <= 1))
                        .call(r -> r instanceof PushResult.Done d
                                ? onOwnContext(() -> pushes.advance(push.id(), "COMPLETE", d.reference()))
                                : Uni.createFrom().voidItem())
                : Uni.createFrom().item(new PushResult.Done(null, "tracking note added"));
        return note.chain(r -> !(r instanceof PushResult.Done d)
                ? Uni.createFrom().item(r)
                : onOwnContext(() -> pushes.readyToComplete(shipment.orderId(), push.id()))
                        .chain(ready -> !ready
                                ? Uni.createFrom().item((PushResult) new PushResult.Done(
                                        d.reference(), "tracking note added; lines or notes still to come"))
                                : turn.get()
                                        .chain(() ->
                                                woo.complete(store.shopDomain, credentials, shipment.storeOrderId()))
                                        .map(c -> c instanceof PushResult.Done
                                                ? new PushResult.Done(
                                                        d.reference(), "tracking note added; order completed")
                                                : c)));
    }

    private Uni<Void> settle(StorePushes.Claimed push, StoreConnection store, PushResult result) {
        String platform = store == null ? "UNKNOWN" : store.platform;
        String outcome = result.getClass().getSimpleName().toLowerCase();
        meters.counter("dropship.store.push", "platform", platform, "kind", push.kind(), "outcome", outcome)
                .increment();
        return Retrying.whileTransient("store push " + push.id() + "'s outcome", () -> record(push, store, result));
    }

    private Uni<Void> record(StorePushes.Claimed push, StoreConnection store, PushResult result) {
        if (result instanceof PushResult.Done d) {
            return pushes.done(push.id(), d.reference(), d.detail());
        }
        if (result instanceof PushResult.Retry r) {
            LOG.infof("store push %d to %s: %s; retrying", push.id(), push.storeId(), r.error());
            Uni<Void> held = r.after() != null && store != null
                    ? limiter.pause(store.id, r.after())
                    : Uni.createFrom().voidItem();
            return held.chain(() -> pushes.retry(push, r.after(), r.error()));
        }
        PushResult.Failed f = (PushResult.Failed) result;
        LOG.warnf("store push %d to %s failed: %s", push.id(), push.storeId(), f.error());
        return pushes.failed(push.id(), f.error());
    }

    /** Runs reactive work on a fresh, safe Vert.x context of its own, as Hibernate Reactive requires. */
    private <T> Uni<T> onOwnContext(Supplier<Uni<T>> work) {
        return OwnContext.run(vertx.getDelegate(), work);
    }
}
