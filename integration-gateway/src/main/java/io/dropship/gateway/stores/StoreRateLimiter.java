package io.dropship.gateway.stores;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Spaces the calls to each store so that they stay within its rate, and holds a store back for as long as it asked
 * (Retry-After, or Shopify's cost budget running dry). The schedule is one row per store in the gateway's database
 * ({@code store_call_slot}), taken with an atomic upsert on the database's clock: every gateway instance draws from the
 * same budget, so two instances call a store no faster than one.
 */
@ApplicationScoped
public class StoreRateLimiter {

    private final Pool pool;

    public StoreRateLimiter(Pool pool) {
        this.pool = pool;
    }

    /** Reserves the store's next call slot and says how long to wait for it. */
    public Uni<Duration> reserve(String storeId, double callsPerSecond) {
        long spacingMicros = (long) (1_000_000L / callsPerSecond);
        return pool.preparedQuery("insert into store_call_slot as s (store_id, next_free_at)"
                        + " values ($1, clock_timestamp() + $2 * interval '1 microsecond')"
                        + " on conflict (store_id) do update"
                        + " set next_free_at = greatest(s.next_free_at, clock_timestamp()) + $2 * interval '1 microsecond'"
                        + " returning greatest(0, extract(epoch from (s.next_free_at - $2 * interval '1 microsecond'"
                        + " - clock_timestamp())))::float8 as wait")
                .execute(Tuple.of(storeId, spacingMicros))
                .map(rows -> Duration.ofNanos((long) (rows.iterator().next().getDouble("wait") * 1_000_000_000L)));
    }

    /** Waits for the store's next call slot: what a store call awaits before it goes out. */
    public Uni<Void> turn(String storeId, double callsPerSecond) {
        return reserve(storeId, callsPerSecond).chain(io.dropship.platform.work.OwnContext::sleep);
    }

    /** No call goes to the store, from any instance, before {@code wait} has passed. */
    public Uni<Void> pause(String storeId, Duration wait) {
        return pool.preparedQuery(
                        "insert into store_call_slot as s (store_id, next_free_at)"
                                + " values ($1, clock_timestamp() + $2 * interval '1 microsecond')"
                                + " on conflict (store_id) do update set next_free_at = greatest(s.next_free_at, excluded.next_free_at)")
                .execute(Tuple.of(storeId, wait.toNanos() / 1000))
                .replaceWithVoid();
    }
}
