package io.dropship.platform.outbox;

import io.dropship.platform.work.Backoff;
import io.dropship.platform.work.OwnContext;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Recording what an outside call answered (a store, a supplier's endpoint, Stripe) must outlast a database outage:
 * the answer exists only in memory, and without the record the work stays leased until its lease runs out, then is
 * called again. So the record is retried while its failure is transient (0.2 s doubling to 30 s, on the caller's
 * Vert.x context), however long that takes; any other failure ends it as before. A loop over the failures, not a
 * recursion.
 */
public final class Retrying {

    private static final Logger LOG = Logger.getLogger(Retrying.class);
    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));
    /** Outcomes waiting for the database now: the gauge {@code dropship.outcomes.waiting}. */
    static final java.util.concurrent.atomic.AtomicInteger WAITING = new java.util.concurrent.atomic.AtomicInteger();

    private Retrying() {}

    public static <T> Uni<T> whileTransient(String what, Supplier<Uni<T>> attempt) {
        int[] attempts = {0};
        return Uni.createFrom()
                .<T>deferred(attempt::get)
                .onFailure(e -> Failures.classify(e) == Failures.Kind.TRANSIENT)
                .retry()
                .when(failures -> failures.onItem().transformToUniAndConcatenate(e -> {
                    if (attempts[0] == 0) {
                        WAITING.incrementAndGet();
                    }
                    Duration wait = BACKOFF.after(++attempts[0]);
                    LOG.warnf(
                            "%s could not be recorded (attempt %d); retrying in %s: %s",
                            what, attempts[0], wait, e.toString());
                    return OwnContext.sleep(wait).replaceWith(attempts[0]);
                }))
                .onTermination()
                .invoke(() -> {
                    if (attempts[0] > 0) {
                        WAITING.decrementAndGet();
                    }
                });
    }
}
