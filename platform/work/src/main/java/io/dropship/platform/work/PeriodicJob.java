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
    private final Wakeable wakeable;

    private PeriodicJob(Vertx vertx, long timer, Wakeable wakeable) {
        this.vertx = vertx;
        this.timer = timer;
        this.wakeable = wakeable;
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
        return new PeriodicJob(vertx, timer, null);
    }

    public void stop() {
        if (wakeable != null) {
            wakeable.stop();
        } else {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Starts a job that looks for work every {@code every} while it finds some; once a round finds none it waits twice
     * as long before each next look, up to {@code idle}; and it looks at once when {@link #wake()} says work was made
     * while it waits longer than {@code every}. A queue that stays empty costs a round every {@code idle} instead of
     * every {@code every}; work made in this process (committed before the wake) does not wait for the idle round;
     * work it is not told about (another instance's, a retry whose time has come) is found within {@code idle}, and
     * sooner just after a busy spell, when retries come due. A busy job is not hurried: a wake during a round, or while
     * the next one is due after {@code every}, keeps that pace, so a stream of wakes costs no more rounds than polling
     * every {@code every} did. A round answers whether it found work; a failed round is followed by another after
     * {@code every}.
     */
    public static PeriodicJob startWakeable(
            Vertx vertx, Duration every, Duration idle, String what, Supplier<Uni<Boolean>> round) {
        Wakeable w = new Wakeable(vertx, every.toMillis(), Math.max(every.toMillis(), idle.toMillis()), what, round);
        w.schedule(every.toMillis());
        return new PeriodicJob(vertx, -1, w);
    }

    /** Runs a round of a job started with {@link #startWakeable} now, or after {@code every} if it is busy. */
    public void wake() {
        if (wakeable != null) {
            wakeable.wake();
        }
    }

    /** The wait before the job's next round, as last set (milliseconds); for tests. */
    long nextWait() {
        return wakeable == null ? -1 : wakeable.nextWait();
    }

    /** The rounds of a wakeable job: one timer at a time, re-armed after each round. */
    private static final class Wakeable {
        private final Vertx vertx;
        private final long every;
        private final long idle;
        private final String what;
        private final Supplier<Uni<Boolean>> round;
        private long timer = -1;
        private long wait;
        private boolean running;
        private boolean woken;
        private boolean stopped;

        private Wakeable(Vertx vertx, long every, long idle, String what, Supplier<Uni<Boolean>> round) {
            this.vertx = vertx;
            this.every = every;
            this.idle = idle;
            this.what = what;
            this.round = round;
        }

        private synchronized void schedule(long delay) {
            if (!stopped) {
                wait = Math.max(1, delay);
                timer = vertx.setTimer(wait, id -> run());
            }
        }

        private synchronized long nextWait() {
            return wait;
        }

        private void run() {
            synchronized (this) {
                if (stopped || running) {
                    return;
                }
                timer = -1;
                running = true;
                woken = false;
            }
            OwnContext.run(vertx, round).subscribe().with(found -> done(Boolean.TRUE.equals(found)), e -> {
                LOG.warnf(e, "%s failed; the next round tries again", what);
                done(true);
            });
        }

        private synchronized void done(boolean busy) {
            running = false;
            // Woken during the round: the work may have been committed after the round looked.
            schedule(busy || woken ? every : Math.min(idle, Math.max(every, wait) * 2));
        }

        private synchronized void wake() {
            if (stopped) {
                return;
            }
            if (running) {
                woken = true;
            } else if (wait > every && timer >= 0 && vertx.cancelTimer(timer)) {
                // The round it runs now starts the doubling again from every.
                schedule(1);
            }
        }

        private synchronized void stop() {
            stopped = true;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
            }
        }
    }
}
