package io.dropship.platform.web;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a list, the one shape every list of the API answers: its items, and the cursor that fetches the next
 * page ({@code ?cursor=...} with the same filters), null on the last page. Lists are keyset-paged: a page is never
 * shifted by rows added or removed before it, and reading one costs the same at any depth.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * The page from up to {@code limit + 1} rows read in list order: when the extra row is there, the page ends before
     * it and the next one starts after the page's last item, whose keyset values {@code key} gives.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, Object[]> key) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> items = rows.subList(0, limit);
        return new Page<>(List.copyOf(items), Cursors.encode(key.apply(items.get(limit - 1))));
    }

    /**
     * A page of a short list read whole (a retailer's stores, the fee plans, a supplier's API keys), in the same shape
     * as a long one: the cursor is the position after the page, in the list's own order.
     */
    public static <T> Page<T> slice(List<T> all, int limit, String cursor) {
        String[] after = Cursors.decode(cursor, 2);
        int from = 0;
        if (after != null) {
            if (!"at".equals(after[0])) {
                throw Cursors.notValid();
            }
            from = Cursors.part(after[1], Integer::parseInt);
            if (from < 0 || from > all.size()) {
                throw Cursors.notValid();
            }
        }
        int to = Math.min(all.size(), from + limit);
        return new Page<>(List.copyOf(all.subList(from, to)), to < all.size() ? Cursors.encode("at", to) : null);
    }

    public <U> Page<U> map(Function<T, U> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }
}
