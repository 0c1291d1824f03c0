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
 *
 * <p>A stream this has waited on is read without pgjdbc's polls: its {@code hasMessagePending} answers from what is
 * buffered or already on the socket ({@code available()}) and no longer tries a 1 ms read that ends in a
 * {@code SocketTimeoutException} when nothing is (pgjdbc's next check put off for good: {@code
 * nextStreamAvailableCheckTime}, with a delay between checks, which replication sets to 0). The
 * wait does the waiting; without this, each keepalive the server sends after a burst of changes had pgjdbc's loop
 * read once more and time out. A wait that finds the connection failed hands the polls back, so that pgjdbc's next
 * read reports the failure.
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
    /** What the relay does without the part of pgjdbc it reaches for. */
    private static final String SLEEPS = "a quiet stream is not waited on: the relay sleeps between reads";

    private static final String POLLS = "the relay's reads poll the stream";
    private static final Field PG_STREAM = field(QueryExecutorBase.class, "pgStream", SLEEPS);
    private static final Field NEXT_POLL = field(PGStream.class, "nextStreamAvailableCheckTime", POLLS);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private ServerMessages() {}

    /** Waits up to {@code atMost} for the server's next message on a Debezium replication connection. */
    public static Wait await(ReplicationConnection replication, Duration atMost) {
        PGStream stream = stream(replication);
        return stream == null ? Wait.UNSUPPORTED : await(stream, atMost);
    }

    /**
     * Waits up to {@code atMost} (at least 1 ms) for a byte on the stream, leaving it to be read; from then on the
     * stream is read without pgjdbc's timed polls, until a wait finds the connection failed.
     */
    public static Wait await(PGStream stream, Duration atMost) {
        try {
            int previous = stream.getNetworkTimeout();
            stream.setNetworkTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, atMost.toMillis())));
            try {
                stream.peekChar();
                polls(stream, false);
                return Wait.READABLE;
            } finally {
                stream.setNetworkTimeout(previous);
            }
        } catch (SocketTimeoutException e) {
            polls(stream, false);
            return Wait.QUIET;
        } catch (IOException e) {
            polls(stream, true);
            return Wait.READABLE;
        }
    }

    /** Lets pgjdbc's {@code hasMessagePending} try its timed read again, or puts it off for good. */
    private static void polls(PGStream stream, boolean again) {
        if (NEXT_POLL == null) {
            return;
        }
        try {
            // A replication stream polls on every check (its delay between checks is 0); a delay of any length
            // with the next check never due leaves only what is buffered or on the socket.
            stream.setMinStreamAvailableCheckDelay(again ? 0 : 1000);
            NEXT_POLL.setLong(stream, again ? 0L : Long.MAX_VALUE);
        } catch (IllegalAccessException | RuntimeException e) {
            warnOnce(e.toString(), POLLS);
        }
    }

    /** Whether this pgjdbc's socket can be reached (PostgresStreamingPatchTests checks the pgjdbc beside it). */
    public static boolean supported() {
        return PG_STREAM != null && NEXT_POLL != null;
    }

    private static PGStream stream(ReplicationConnection replication) {
        if (PG_STREAM == null || !(replication instanceof JdbcConnection jdbc)) {
            warnOnce("the replication connection is not pgjdbc's", SLEEPS);
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
            warnOnce(e.toString(), SLEEPS);
            return null;
        }
    }

    /** One of pgjdbc's private fields, or null (with a warning saying what the relay does without it). */
    private static Field field(Class<?> owner, String name, String without) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("pgjdbc's {}.{} is not reachable ({}): {}", owner.getSimpleName(), name, e.toString(), without);
            return null;
        }
    }

    /** The first time the relay cannot reach pgjdbc's stream, once. */
    private static void warnOnce(String why, String without) {
        if (WARNED.compareAndSet(false, true)) {
            LOG.warn("the relay cannot reach pgjdbc's stream ({}): {}", why, without);
        }
    }
}
