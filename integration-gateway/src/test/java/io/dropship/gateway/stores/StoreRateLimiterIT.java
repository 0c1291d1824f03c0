package io.dropship.gateway.stores;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A store's rate limit holds for the platform, not per gateway instance: two limiters on the same database (two
 * instances of the gateway) hand out one schedule of call slots, and a Retry-After one of them heard holds the other.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class StoreRateLimiterIT {

    @Inject
    Pool pool;

    @Test
    void twoInstancesShareOneScheduleOfCallsPerStore() {
        StoreRateLimiter first = new StoreRateLimiter(pool);
        StoreRateLimiter second = new StoreRateLimiter(pool);
        String store = "st-" + UUID.randomUUID();
        // Each reservation's slot lies between (asked + wait) and (answered + wait): the database computed the wait at
        // some moment between the two. Bounding each gap by that is exact however slow the round trip was.
        List<long[]> slots = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            StoreRateLimiter instance = i % 2 == 0 ? first : second;
            long asked = System.nanoTime();
            Duration wait = instance.reserve(store, 4).await().atMost(Duration.ofSeconds(10));
            long answered = System.nanoTime();
            slots.add(new long[] {asked + wait.toNanos(), answered + wait.toNanos()});
        }
        slots.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < slots.size(); i++) {
            long latestGapMillis = (slots.get(i)[1] - slots.get(i - 1)[0]) / 1_000_000;
            // 4 calls a second: 250 ms apart (to the millisecond the database's microseconds are rounded to).
            assertTrue(
                    latestGapMillis >= 249,
                    "call " + i + " at most " + latestGapMillis + " ms after the one before, across two instances");
        }
        long spanMillis = (slots.get(slots.size() - 1)[1] - slots.get(0)[0]) / 1_000_000;
        assertTrue(spanMillis >= 11 * 249, "12 calls at 4 a second take 2.75 s, not " + spanMillis + " ms");
        // Another store has a schedule of its own.
        assertTrue(first.reserve("st-" + UUID.randomUUID(), 4)
                        .await()
                        .atMost(Duration.ofSeconds(10))
                        .toMillis()
                < 50);
    }

    @Test
    void aPauseOneInstanceHeardHoldsTheOther() {
        StoreRateLimiter first = new StoreRateLimiter(pool);
        StoreRateLimiter second = new StoreRateLimiter(pool);
        String store = "st-" + UUID.randomUUID();
        first.pause(store, Duration.ofSeconds(3)).await().atMost(Duration.ofSeconds(10));
        Duration wait = second.reserve(store, 4).await().atMost(Duration.ofSeconds(10));
        assertTrue(
                wait.toMillis() > 2_500 && wait.toMillis() <= 3_000,
                "the other instance waits out the store's Retry-After: " + wait);
        // A shorter pause heard later does not cut a longer one short.
        second.pause(store, Duration.ofMillis(100)).await().atMost(Duration.ofSeconds(10));
        assertTrue(
                first.reserve(store, 4).await().atMost(Duration.ofSeconds(10)).toMillis() > 2_000);
    }
}
