package io.dropship.gateway.stores;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The app's cost budget at one shop, kept between Shopify's answers as Shopify keeps it: a bucket that regains
 * {@code restoreRate} points a second up to {@code maximumAvailable} (Shopify's leaky bucket). A call takes its
 * expected cost from the bucket before it goes out; when the bucket holds less, the call waits until it will have
 * refilled, and the calls waiting take their points in turn, so they go out one cost apart at the restore rate
 * instead of together into a THROTTLED answer. Every answer's {@code extensions.cost.throttleStatus} sets the bucket
 * to what the shop reports, less the calls taken from it and not answered yet.
 *
 * <p>Until the first answer the bucket is the smallest any plan has had (1,000 points, 50 a second), so a burst at
 * a shop not heard from yet stays within it.
 */
final class ShopifyBudget {

    private double maximum = 1000;
    private double restore = 50;
    private double available = maximum;
    private long at = System.nanoTime();
    /** Points taken by calls that have not been answered yet. */
    private double unanswered;

    /** Takes {@code cost} points and says how long to wait until the bucket holds them. */
    synchronized Duration take(double cost) {
        refill();
        unanswered += cost;
        available -= cost;
        return available >= 0 ? Duration.ZERO : Duration.ofNanos((long) (-available / restore * 1e9));
    }

    /**
     * A call that took {@code cost} was answered (or failed); {@code answer} is the shop's answer, whose throttle
     * status, when it has one, sets the bucket.
     */
    synchronized void answered(double cost, JsonObject answer) {
        unanswered = Math.max(0, unanswered - cost);
        JsonObject status = answer == null
                ? null
                : answer.getJsonObject("extensions", new JsonObject())
                        .getJsonObject("cost", new JsonObject())
                        .getJsonObject("throttleStatus");
        if (status == null || status.getValue("currentlyAvailable") == null) {
            return;
        }
        maximum = Math.max(1, status.getDouble("maximumAvailable", maximum));
        restore = Math.max(1, status.getDouble("restoreRate", restore));
        available = Math.min(maximum, status.getDouble("currentlyAvailable")) - unanswered;
        at = System.nanoTime();
    }

    private void refill() {
        long now = System.nanoTime();
        available = Math.min(maximum, available + restore * (now - at) / 1e9);
        at = now;
    }

    /** The points in the bucket now, for tests. */
    synchronized double available() {
        refill();
        return available;
    }
}
