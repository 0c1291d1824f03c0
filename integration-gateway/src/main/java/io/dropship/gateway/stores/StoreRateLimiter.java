package io.dropship.gateway.stores;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Spaces the calls to each store so that they stay within its rate, and holds a store back for as long as
 * it asked (Retry-After, or Shopify's cost budget running dry). Per gateway instance: with several
 * instances each keeps its own share, so the configured rate is per instance.
 */
@ApplicationScoped
public class StoreRateLimiter {

    private final Map<String, Long> nextFreeNanos = new ConcurrentHashMap<>();

    /** Reserves the store's next call slot and says how long to wait for it. */
    public Duration reserve(String storeId, double callsPerSecond) {
        long spacing = (long) (1_000_000_000L / callsPerSecond);
        long now = System.nanoTime();
        long slot = nextFreeNanos.compute(storeId, (id, next) -> next == null || next - now < 0 ? now + spacing : next + spacing)
                - spacing;
        return Duration.ofNanos(Math.max(0, slot - now));
    }

    /** Waits for the store's next call slot: what a store call awaits before it goes out. */
    public io.smallrye.mutiny.Uni<Void> turn(String storeId, double callsPerSecond) {
        return io.dropship.platform.outbox.OwnContext.sleep(reserve(storeId, callsPerSecond));
    }

    /** No call goes to the store before {@code wait} has passed. */
    public void pause(String storeId, Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        nextFreeNanos.merge(storeId, until, (a, b) -> a - b > 0 ? a : b);
    }
}
