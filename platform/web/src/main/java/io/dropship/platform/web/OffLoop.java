package io.dropship.platform.web;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Blocking or CPU-heavy work (a DNS lookup, a password hash) run on a worker thread and answered back on the caller's
 * Vert.x context, so that what follows (a Hibernate Reactive session) stays on the thread it must be on.
 */
public final class OffLoop {

    private OffLoop() {}

    public static <T> Uni<T> supply(Supplier<T> work) {
        return supply(Infrastructure.getDefaultWorkerPool(), work);
    }

    /**
     * The same on an executor of the caller's (a bounded one for work that needs much memory each); an executor that
     * refuses the work fails the Uni with its {@link java.util.concurrent.RejectedExecutionException}.
     */
    public static <T> Uni<T> supply(Executor executor, Supplier<T> work) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom().item(work).runSubscriptionOn(executor).emitOn(r -> {
            if (context == null) {
                r.run();
            } else {
                context.runOnContext(v -> r.run());
            }
        });
    }
}
