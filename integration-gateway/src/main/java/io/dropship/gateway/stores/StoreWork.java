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

    /** The items in runs of at most {@code size}, in order. */
    public static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
