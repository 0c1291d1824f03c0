package io.dropship.platform.work;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Reactive work started outside a request or a message (a timer, a background worker) needs a Vert.x
 * context of its own: Hibernate Reactive keeps its session there and refuses to run on a shared one.
 */
public final class OwnContext {

    private OwnContext() {}

    /**
     * Runs the work on a fresh, safe duplicated context; its result comes back on that context. Work that throws
     * instead of returning a Uni fails the Uni (thrown on the context, it would never complete, and a periodic job
     * waiting for it would never run again).
     */
    public static <T> Uni<T> run(Vertx vertx, Supplier<Uni<T>> work) {
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        return Uni.createFrom()
                .emitter(emitter -> context.runOnContext(ignored ->
                        Uni.createFrom().<T>deferred(work::get).subscribe().with(emitter::complete, emitter::fail)));
    }

    /** Waits, then continues on the caller's context (Mutiny's timers would continue on their own thread). */
    public static Uni<Void> sleep(Duration wait) {
        // Vert.x schedules no timer under a millisecond (it throws): such a wait is no wait.
        if (wait.toMillis() < 1) {
            return Uni.createFrom().voidItem();
        }
        Context context = Vertx.currentContext();
        Executor here = context == null ? Runnable::run : command -> context.runOnContext(ignored -> command.run());
        return Uni.createFrom().voidItem().onItem().delayIt().by(wait).emitOn(here);
    }
}
