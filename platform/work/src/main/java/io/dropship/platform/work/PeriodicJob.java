package io.dropship.platform.work;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Background work on a timer (store calls, syncs, refreshes): each round runs on a context of its own (see
 * {@link OwnContext}), a round never overlaps the one before, and a failed round is logged and the next one tries
 * again.
 */
public final class PeriodicJob {

    private static final Logger LOG = Logger.getLogger(PeriodicJob.class);

    private final Vertx vertx;
    private final long timer;

    private PeriodicJob(Vertx vertx, long timer) {
        this.vertx = vertx;
        this.timer = timer;
    }

    /** Starts running {@code round} every {@code every}; {@code what} names it in the log. */
    public static PeriodicJob start(Vertx vertx, Duration every, String what, Supplier<Uni<?>> round) {
        return start(vertx, every, every, what, round);
    }

    /** As {@link #start(Vertx, Duration, String, Supplier)}, the first round after {@code first}. */
    public static PeriodicJob start(Vertx vertx, Duration first, Duration every, String what, Supplier<Uni<?>> round) {
        AtomicBoolean busy = new AtomicBoolean();
        long timer = vertx.setPeriodic(Math.max(1, first.toMillis()), every.toMillis(), id -> {
            if (!busy.compareAndSet(false, true)) {
                return;
            }
            OwnContext.run(vertx, () -> round.get().replaceWithVoid())
                    .subscribe()
                    .with(done -> busy.set(false), e -> {
                        busy.set(false);
                        LOG.warnf(e, "%s failed; the next round tries again", what);
                    });
        });
        return new PeriodicJob(vertx, timer);
    }

    public void stop() {
        vertx.cancelTimer(timer);
    }
}
