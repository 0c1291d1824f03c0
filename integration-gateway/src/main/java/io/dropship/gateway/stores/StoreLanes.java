package io.dropship.gateway.stores;

import io.dropship.platform.work.OwnContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One lane per store for a syncer's work: a round hands each store's claimed work to its lane and does not wait for
 * it, so a store that answers slowly (or not at all, until the call's timeout) never holds up the others; the next
 * round leaves out the stores still in their lane, so one store's work never runs twice at once.
 */
public final class StoreLanes {

    private static final Logger LOG = Logger.getLogger(StoreLanes.class);

    private final String what;
    private final int max;
    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    /** {@code max}: how many stores may be worked on at once. */
    public StoreLanes(String what, int max) {
        this.what = what;
        this.max = max;
    }

    /** The stores still being worked on: the next claim leaves them out. */
    public String[] busy() {
        return busy.toArray(String[]::new);
    }

    /** Whether no store is being worked on. */
    public boolean idle() {
        return busy.isEmpty();
    }

    /** Whether a lane is free for another store. */
    public boolean free() {
        return busy.size() < max;
    }

    /** Starts the store's work on a context of its own, unless its lane is taken; returns at once. */
    public boolean start(Vertx vertx, String storeId, Supplier<Uni<Void>> work) {
        if (!busy.add(storeId)) {
            return false;
        }
        OwnContext.run(vertx, work).subscribe().with(done -> busy.remove(storeId), e -> {
            busy.remove(storeId);
            LOG.warnf(e, "%s of store %s failed; its next round tries again", what, storeId);
        });
        return true;
    }
}
