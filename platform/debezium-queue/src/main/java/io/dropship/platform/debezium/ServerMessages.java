package io.dropship.platform.debezium;

import io.debezium.connector.postgresql.connection.ReplicationConnection;
import io.debezium.jdbc.JdbcConnection;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.PGStream;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.QueryExecutorBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the next message a PostgreSQL server sends on a replication connection, for the patched
 * PostgresStreamingChangeEventSource (see its PATCH). pgjdbc's replication stream only polls (a 1 ms socket wait per
 * read); this waits on the same socket for up to a given time with a blocking peek, which takes nothing from the
 * stream, so the next read finds the message where pgjdbc expects it. Only the streaming thread reads a replication
 * stream (status updates from other threads only write), so the wait runs outside pgjdbc's lock as its own reads do
 * not need to.
 */
public final class ServerMessages {

    /** How a wait ended. */
    public enum Wait {
        /** The server sent something (or the connection failed, which the next read reports). */
        READABLE,
        /** Nothing came within the time given. */
        QUIET,
        /** The connection's socket cannot be reached (another pgjdbc): the caller sleeps instead. */
        UNSUPPORTED
    }

    private static final Logger LOG = LoggerFactory.getLogger(ServerMessages.class);
    private static final Field PG_STREAM = pgStreamField();
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private ServerMessages() {}

    /** Waits up to {@code atMost} for the server's next message on a Debezium replication connection. */
    public static Wait await(ReplicationConnection replication, Duration atMost) {
        PGStream stream = stream(replication);
        return stream == null ? Wait.UNSUPPORTED : await(stream, atMost);
    }

    /** Waits up to {@code atMost} (at least 1 ms) for a byte on the stream, leaving it to be read. */
    public static Wait await(PGStream stream, Duration atMost) {
        try {
            int previous = stream.getNetworkTimeout();
            stream.setNetworkTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, atMost.toMillis())));
            try {
                stream.peekChar();
                return Wait.READABLE;
            } finally {
                stream.setNetworkTimeout(previous);
            }
        } catch (SocketTimeoutException e) {
            return Wait.QUIET;
        } catch (IOException e) {
            return Wait.READABLE;
        }
    }

    /** Whether this pgjdbc's socket can be reached (PostgresStreamingPatchTests checks the pgjdbc beside it). */
    public static boolean supported() {
        return PG_STREAM != null;
    }

    private static PGStream stream(ReplicationConnection replication) {
        if (PG_STREAM == null || !(replication instanceof JdbcConnection jdbc)) {
            warnOnce("the replication connection is not pgjdbc's");
            return null;
        }
        try {
            if (!jdbc.isConnected()) {
                return null;
            }
            QueryExecutor executor =
                    jdbc.connection().unwrap(BaseConnection.class).getQueryExecutor();
            return executor instanceof QueryExecutorBase ? (PGStream) PG_STREAM.get(executor) : null;
        } catch (SQLException | IllegalAccessException | RuntimeException e) {
            warnOnce(e.toString());
            return null;
        }
    }

    private static Field pgStreamField() {
        try {
            Field f = QueryExecutorBase.class.getDeclaredField("pgStream");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "pgjdbc's QueryExecutorBase.pgStream is not reachable ({}): the relay sleeps between reads",
                    e.toString());
            return null;
        }
    }

    private static void warnOnce(String why) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("a quiet replication stream cannot wait for the server ({}): the relay sleeps between reads", why);
        }
    }
}
