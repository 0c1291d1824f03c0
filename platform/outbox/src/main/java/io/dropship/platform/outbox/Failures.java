package io.dropship.platform.outbox;

import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.DatabaseException;
import jakarta.persistence.OptimisticLockException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.RetriableException;
import org.hibernate.StaleStateException;

/**
 * Tells a failure that goes away by itself (the database or the broker is unreachable, a connection was cut, a
 * serialization conflict) from one that will happen again on every try (a record that breaks its contract, a bug).
 * The first kind is retried for as long as it lasts; only the second may end in a dead-letter topic.
 */
public final class Failures {

    public enum Kind {
        /** Goes away when a dependency comes back or a concurrent writer is done: retry, however long it takes. */
        TRANSIENT,
        /** Will fail the same way every time: a record that cannot be read or breaks its contract. */
        POISON,
        /** Neither is known: retried a few times, then dead-lettered where it can be read and replayed. */
        UNKNOWN
    }

    private Failures() {}

    public static Kind classify(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PoisonMessageException) {
                return Kind.POISON;
            }
            if (t instanceof com.fasterxml.jackson.core.JacksonException) {
                // An IOException too, but one about the bytes, not the wire: they will not read better next time.
                return Kind.POISON;
            }
            if (t instanceof DatabaseException db) {
                return transientSqlState(db.getSqlState()) ? Kind.TRANSIENT : Kind.UNKNOWN;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return transientSqlState(sql.getSQLState()) ? Kind.TRANSIENT : Kind.UNKNOWN;
            }
            if (t instanceof ClosedConnectionException
                    || t instanceof IOException
                    || t instanceof TimeoutException
                    || t instanceof RetriableException
                    || t instanceof OptimisticLockException
                    || t instanceof StaleStateException
                    || t instanceof io.vertx.core.http.ConnectionPoolTooBusyException) {
                return Kind.TRANSIENT;
            }
            if ((t instanceof io.vertx.core.VertxException || t instanceof io.vertx.core.impl.NoStackTraceThrowable)
                    && connectionTrouble(t.getMessage())) {
                // Vert.x reports a pool that cannot connect, a connection that closed, or a pool closed under a
                // service that is stopping ("Pool closed", a bare Throwable) without a type of its own. Retried, the
                // event is left for the next start instead of going to the dead-letter topic.
                return Kind.TRANSIENT;
            }
        }
        return Kind.UNKNOWN;
    }

    /**
     * PostgreSQL's SQLSTATE classes that describe the server or the moment, not the statement: connection exceptions
     * (08), insufficient resources (53), operator intervention such as a shutdown or a server still starting (57),
     * system errors (58), serialization failures and deadlocks (40001, 40P01), lock not available (55P03).
     */
    static boolean transientSqlState(String state) {
        if (state == null || state.length() != 5) {
            return false;
        }
        String sqlClass = state.substring(0, 2);
        return sqlClass.equals("08")
                || sqlClass.equals("53")
                || sqlClass.equals("57")
                || sqlClass.equals("58")
                || state.equals("40001")
                || state.equals("40P01")
                || state.equals("55P03");
    }

    private static boolean connectionTrouble(String message) {
        if (message == null) {
            return false;
        }
        String m = message.toLowerCase();
        return m.contains("connection") || m.contains("closed") || m.contains("timed out") || m.contains("timeout");
    }
}
