package io.dropship.testkit;

import static org.awaitility.Awaitility.await;

import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Two transactions made to overlap at the worst moment, as two consumers reading different topics can: the first
 * does its work and is held open, uncommitted; the second runs meanwhile; once the second is waiting for a lock (or
 * done, when nothing makes it wait) the first commits. A write skew between them shows up every time.
 */
public final class Interleaving {

    private Interleaving() {}

    /**
     * @param first  a transaction, given the moment to hold at: it chains {@code holdHere} after its work
     * @param second a transaction run while the first is held
     */
    public static void run(Function<Uni<Void>, Uni<Void>> first, Supplier<Uni<Void>> second) throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Void> holding = new CompletableFuture<>();
        CompletableFuture<Void> a = CompletableFuture.runAsync(() ->
                inContext(() -> first.apply(Uni.createFrom().deferred(() -> {
                    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
                    holding.complete(null);
                    return Uni.createFrom().completionStage(release).emitOn(r -> context.runOnContext(v -> r.run()));
                }))));
        holding.get(30, TimeUnit.SECONDS);
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> inContext(second));
        await().atMost(Duration.ofSeconds(30)).until(() -> b.isDone() || waitingForALock());
        release.complete(null);
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);
    }

    private static void inContext(Supplier<Uni<Void>> transaction) {
        try {
            VertxContextSupport.subscribeAndAwait(transaction);
        } catch (Throwable e) {
            throw new CompletionException(e);
        }
    }

    private static boolean waitingForALock() throws Exception {
        try (Connection c = SharedInfrastructure.get().postgres().connect("app");
                ResultSet rs = c.createStatement().executeQuery("select count(*) from pg_locks where not granted")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }
}
