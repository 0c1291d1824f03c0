package io.dropship.platform.web;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.function.Supplier;

/**
 * Blocking or CPU-heavy work (a DNS lookup, a password hash) run on a worker thread and answered back on the caller's
 * Vert.x context, so that what follows (a Hibernate Reactive session) stays on the thread it must be on.
 */
public final class OffLoop {

    private OffLoop() {}

    public static <T> Uni<T> supply(Supplier<T> work) {
        io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
        return Uni.createFrom()
                .item(work)
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .emitOn(r -> {
                    if (context == null) {
                        r.run();
                    } else {
                        context.runOnContext(v -> r.run());
                    }
                });
    }
}
