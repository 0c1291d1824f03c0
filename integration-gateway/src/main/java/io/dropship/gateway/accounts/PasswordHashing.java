package io.dropship.gateway.accounts;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.web.OffLoop;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Where {@link Passwords} are hashed and checked: on a few lanes of their own ({@code password-lanes}, one per
 * processor by default) with a bounded queue ({@code password-queue}) before them. Each Argon2id hash takes 19 MiB
 * while it runs (native memory with libargon2, the heap with the Java fallback); on the shared worker pool twenty
 * sign-ins at once (what one address may send in a minute) took 380 MiB of heap, when Bouncy Castle hashed, and failed
 * with OutOfMemoryError in a gateway of 192 MiB, and whatever else was allocating then failed too. More lanes than
 * processors would not hash faster. Past the queue a caller gets 503 with Retry-After: 1.
 */
@ApplicationScoped
public class PasswordHashing {

    private static final Logger LOG = Logger.getLogger(PasswordHashing.class);

    private final ThreadPoolExecutor lanes;

    @Inject
    public PasswordHashing(GatewayConfig config) {
        this(
                config.accounts().passwordLanes().orElse(Runtime.getRuntime().availableProcessors()),
                config.accounts().passwordQueue());
    }

    PasswordHashing(int lanes, int queue) {
        AtomicInteger n = new AtomicInteger();
        this.lanes = new ThreadPoolExecutor(
                Math.max(1, lanes),
                Math.max(1, lanes),
                60,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queue)),
                r -> {
                    Thread t = new Thread(r, "password-hashing-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        // Idle lanes end after a minute: a gateway that nobody signs in to keeps no threads for it.
        this.lanes.allowCoreThreadTimeOut(true);
    }

    /** Runs the hashing work on a lane, answered on the caller's context; 503 when the lanes and queue are full. */
    public <T> Uni<T> run(Supplier<T> work) {
        return OffLoop.supply(lanes, work)
                .onFailure(RejectedExecutionException.class)
                .transform(e -> {
                    LOG.warnf(
                            "%d passwords being checked and %d waiting: a sign-in answered 503",
                            lanes.getActiveCount(), lanes.getQueue().size());
                    return new ProblemException(
                            503, "Service Unavailable", "too many sign-ins at once; retry in 1 s", 1L);
                });
    }

    @PreDestroy
    void stop() {
        lanes.shutdownNow();
    }
}
