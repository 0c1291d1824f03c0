package io.dropship.platform.outbox;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.Collection;
import java.util.TreeSet;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * A named PostgreSQL advisory lock held until the caller's transaction ends. Events about one thing often come on
 * different topics, read by different consumers at the same time, and each looks for what the others left (a
 * reservation for a release, a clearance for an arrival). Two such transactions can each miss the other's uncommitted
 * row (a write skew) and both decide as if the other had never come. Taking the thing's lock first makes whichever
 * comes second wait and then read what the first committed. The lock exists before any row of the thing does.
 */
public final class TransactionLock {

    private TransactionLock() {}

    /** Waits for and takes the lock named, for the rest of the session's transaction. */
    public static Uni<Void> take(Mutiny.Session s, String name) {
        return s.createNativeQuery(
                        "select count(*) from (select pg_advisory_xact_lock(hashtextextended(:name, 0))) locked",
                        Long.class)
                .setParameter("name", name)
                .getSingleResult()
                .replaceWithVoid();
    }

    /**
     * Takes the named locks for the rest of the connection's transaction, in one statement and in the names' sorted
     * order: two transactions taking overlapping sets this way wait for each other instead of deadlocking.
     */
    public static Uni<Void> takeAll(SqlConnection c, Collection<String> names) {
        if (names.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[] sorted = new TreeSet<>(names).toArray(String[]::new);
        return c.preparedQuery(
                        "select count(pg_advisory_xact_lock(hashtextextended(n, 0))) from unnest($1::text[]) as n")
                .execute(Tuple.tuple().addArrayOfString(sorted))
                .replaceWithVoid();
    }
}
