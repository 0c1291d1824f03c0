package io.dropship.platform.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A wakeable job on a real Vert.x: rounds follow each other every {@code every} while they find work; once they find
 * none the wait doubles up to the idle interval; a wake while it waits idle runs a round at once, a wake during a round
 * brings the next one after {@code every}, and a failed round is followed by another.
 */
class PeriodicJobTests {

    private static final Duration EVERY = Duration.ofMillis(10);
    private static final Duration IDLE = Duration.ofMillis(80);
    private static final Duration AN_HOUR = Duration.ofHours(1);

    private Vertx vertx;

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void roundsFollowEachOtherWhileThereIsWorkThenTheWaitDoublesUpToTheIdleInterval() throws Exception {
        AtomicInteger work = new AtomicInteger(5);
        AtomicInteger rounds = new AtomicInteger();
        java.util.List<Long> waits = new java.util.concurrent.CopyOnWriteArrayList<>();
        PeriodicJob[] job = new PeriodicJob[1];
        job[0] = PeriodicJob.startWakeable(vertx, EVERY, IDLE, "test", () -> {
            rounds.incrementAndGet();
            // The wait set after the round before this one.
            waits.add(job[0] == null ? 10 : job[0].nextWait());
            return Uni.createFrom().item(work.getAndUpdate(w -> Math.max(0, w - 1)) > 0);
        });
        await(() -> rounds.get() >= 11);
        job[0].stop();
        // Five rounds with work, each followed after 10 ms; then 20, 40, 80 and 80 ms after the empty ones.
        assertEquals(java.util.List.of(10L, 10L, 10L, 10L, 10L, 10L, 20L, 40L, 80L, 80L, 80L), waits.subList(0, 11));
    }

    @Test
    void aWakeWhileIdleRunsARoundAtOnceAndAWakeDuringARoundBringsTheNextAfterEvery() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        AtomicReference<CompletableFuture<Boolean>> hold = new AtomicReference<>();
        CountDownLatch held = new CountDownLatch(1);
        PeriodicJob job = PeriodicJob.startWakeable(vertx, EVERY, AN_HOUR, "test", () -> {
            rounds.incrementAndGet();
            CompletableFuture<Boolean> h = hold.get();
            if (h != null) {
                held.countDown();
                return Uni.createFrom().completionStage(h);
            }
            return Uni.createFrom().item(false);
        });
        // Empty rounds double the wait: past a second, the job is idle.
        await(() -> job.nextWait() >= 1280);
        int before = rounds.get();
        job.wake();
        assertEquals(1, job.nextWait(), "a wake while idle runs the next round at once");
        await(() -> rounds.get() == before + 1);
        await(() -> job.nextWait() == 20); // that round found nothing: the doubling starts again from every

        // A round under way when work is committed: the next one comes after every, not after the doubled wait.
        hold.set(new CompletableFuture<>());
        job.wake();
        assertTrue(held.await(30, TimeUnit.SECONDS));
        job.wake();
        hold.getAndSet(null).complete(false);
        await(() -> rounds.get() >= before + 3);
        job.stop();
        int stopped = rounds.get();
        job.wake();
        Thread.sleep(100);
        assertEquals(stopped, rounds.get(), "a stopped job runs no round");
    }

    @Test
    void aWakeDuringARoundKeepsThePaceOfEvery() throws Exception {
        CompletableFuture<Boolean> release = new CompletableFuture<>();
        CountDownLatch inRound = new CountDownLatch(1);
        AtomicInteger rounds = new AtomicInteger();
        PeriodicJob job = PeriodicJob.startWakeable(vertx, EVERY, AN_HOUR, "test", () -> {
            if (rounds.incrementAndGet() == 1) {
                inRound.countDown();
                return Uni.createFrom().completionStage(release);
            }
            return Uni.createFrom().completionStage(new CompletableFuture<>()); // the second round never ends
        });
        assertTrue(inRound.await(30, TimeUnit.SECONDS));
        job.wake();
        release.complete(false); // found nothing, but was woken during the round
        await(() -> rounds.get() == 2);
        assertEquals(10, job.nextWait(), "after a woken round the next comes after every");
        job.stop();
    }

    @Test
    void aFailedRoundIsFollowedByAnother() throws Exception {
        AtomicInteger rounds = new AtomicInteger();
        PeriodicJob job = PeriodicJob.startWakeable(
                vertx,
                EVERY,
                AN_HOUR,
                "test",
                () -> rounds.incrementAndGet() < 3
                        ? Uni.createFrom().failure(new IllegalStateException("the database is away"))
                        : Uni.createFrom().item(false));
        await(() -> rounds.get() >= 3);
        job.stop();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertTrue(condition.getAsBoolean(), "not within 30 s");
    }
}
