package io.dropship.gateway.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Passwords are hashed on a few lanes with a bounded queue: Argon2id takes 19 MiB a hash, and twenty at once on the heap
 * (Bouncy Castle's) ran a 192 MiB gateway out of memory. Past the lanes and the queue a caller is answered 503 with
 * Retry-After.
 */
class PasswordHashingTests {

    @Test
    void realHashesRunAtMostALaneAtATimeAndAllComeOut() throws Exception {
        PasswordHashing hashing = new PasswordHashing(2, 32);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        List<CompletableFuture<String>> hashes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String password = "password number " + i;
            hashes.add(hashing.run(() -> {
                        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            return Passwords.hash(password);
                        } finally {
                            running.decrementAndGet();
                        }
                    })
                    .subscribeAsCompletionStage());
        }
        for (int i = 0; i < 12; i++) {
            String stored = hashes.get(i).get(60, TimeUnit.SECONDS);
            assertTrue(Passwords.matches("password number " + i, stored), "hash " + i + " checks");
            assertFalse(Passwords.matches("password number " + (i + 1), stored));
        }
        assertEquals(2, peak.get(), "twelve hashes asked for at once ran two at a time");
        hashing.stop();
    }

    @Test
    void pastTheLanesAndTheQueueACallerIsAnswered503WithRetryAfter() throws Exception {
        PasswordHashing hashing = new PasswordHashing(1, 2);
        CountDownLatch release = new CountDownLatch(1);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            calls.add(hashing.run(() -> {
                        try {
                            release.await(30, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return "done " + n;
                    })
                    .subscribeAsCompletionStage());
        }
        // One runs, two wait, three are refused at once.
        for (int i = 3; i < 6; i++) {
            Throwable refused = Uni.createFrom()
                    .completionStage(calls.get(i))
                    .onItem()
                    .transform(x -> (Throwable) null)
                    .onFailure()
                    .recoverWithItem(e -> e)
                    .await()
                    .atMost(Duration.ofSeconds(5));
            ProblemException problem = assertInstanceOf(ProblemException.class, refused, "call " + i);
            assertEquals(503, problem.status());
            assertEquals(1L, problem.retryAfterSeconds());
        }
        release.countDown();
        for (int i = 0; i < 3; i++) {
            assertEquals("done " + i, calls.get(i).get(30, TimeUnit.SECONDS));
        }
        // Once the queue has room, the next caller is served again.
        assertEquals("again", hashing.run(() -> "again").await().atMost(Duration.ofSeconds(5)));
        hashing.stop();
    }
}
