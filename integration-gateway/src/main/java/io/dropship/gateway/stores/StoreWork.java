package io.dropship.gateway.stores;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** How the store syncers walk their work: one item after the other, and lists cut to a store call's size. */
public final class StoreWork {

    private StoreWork() {}

    /** One after the other: a store's calls go out in turn, and one session does one thing at a time. */
    public static <T> Uni<Void> each(List<T> items, Function<T, Uni<Void>> work) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(items)
                .onItem()
                .<Void>transformToUniAndConcatenate(work::apply)
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * At most {@code n} at a time, in order of start: a store's calls overlap (its rate limiter spaces their starts),
     * so a call that takes longer than the spacing does not slow the store below its rate.
     */
    public static <T> Uni<Void> inFlight(List<T> items, int n, Function<T, Uni<Void>> work) {
        if (items.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom()
                .iterable(items)
                .onItem()
                .<Void>transformToUni(work::apply)
                .merge(Math.max(1, n))
                .collect()
                .last()
                .replaceWithVoid();
    }

    /**
     * The items a statement that skipped locked rows did not update ({@code updated}: the ids it returned), each then
     * done on its own: a statement that waits for its one row holds no other, so it never deadlocks with the
     * transaction that held the row.
     */
    public static <T> Uni<Void> eachNotUpdated(
            io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> updated,
            List<T> items,
            Function<T, String> id,
            Function<T, Uni<Void>> work) {
        java.util.Set<String> done = new java.util.HashSet<>();
        updated.forEach(r -> done.add(r.getString(0)));
        return each(items.stream().filter(i -> !done.contains(id.apply(i))).toList(), work);
    }

    /** The items in runs of at most {@code size}, in order. */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
