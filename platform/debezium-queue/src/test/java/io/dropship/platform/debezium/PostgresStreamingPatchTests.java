package io.dropship.platform.debezium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.connector.postgresql.PostgresStreamingChangeEventSource;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import javax.net.SocketFactory;
import org.junit.jupiter.api.Test;
import org.postgresql.core.PGStream;
import org.postgresql.util.HostSpec;

/**
 * The copy of Debezium's PostgresStreamingChangeEventSource and the wait it uses on a quiet stream, on pgjdbc's own
 * PGStream over a real socket: the wait ends when the server sends something, takes nothing from the stream, and puts
 * the connection's timeout back. (OutboxAndInboxIT runs the relay with it against PostgreSQL.)
 */
class PostgresStreamingPatchTests {

    @Test
    void theCopyIsOfTheDebeziumBesideIt() throws Exception {
        PatchVersions.assertMadeFromTheDebeziumBesideIt(PostgresStreamingChangeEventSource.class);
    }

    @Test
    void thePgjdbcBesideItLetsTheWaitReachTheSocket() {
        assertTrue(ServerMessages.supported(), "QueryExecutorBase.pgStream is not reachable");
    }

    @Test
    void aQuietStreamWaitsAndWhatTheServerSendsIsLeftToRead() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PGStream stream =
                    new PGStream(SocketFactory.getDefault(), new HostSpec("127.0.0.1", server.getLocalPort()), 10_000);
            try (Socket backend = server.accept()) {
                stream.setNetworkTimeout(0);

                assertEquals(ServerMessages.Wait.QUIET, ServerMessages.await(stream, Duration.ofMillis(100)));
                assertEquals(0, stream.getNetworkTimeout(), "the connection's own timeout is put back");

                OutputStream out = backend.getOutputStream();
                out.write(new byte[] {'d', 'k'});
                out.flush();
                assertEquals(ServerMessages.Wait.READABLE, ServerMessages.await(stream, Duration.ofSeconds(30)));
                assertEquals(ServerMessages.Wait.READABLE, ServerMessages.await(stream, Duration.ofSeconds(30)));
                assertEquals(0, stream.getNetworkTimeout());
                assertEquals('d', stream.receiveChar(), "the wait took nothing from the stream");
                assertEquals('k', stream.receiveChar());
                assertEquals(ServerMessages.Wait.QUIET, ServerMessages.await(stream, Duration.ofMillis(50)));
            }
            // The server has gone: the wait ends, and the next read is the one that reports it.
            assertEquals(ServerMessages.Wait.READABLE, ServerMessages.await(stream, Duration.ofSeconds(30)));
            stream.close();
        }
    }

    @Test
    void aStreamWaitedOnIsCheckedFromWhatHasArrived() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            PGStream stream =
                    new PGStream(SocketFactory.getDefault(), new HostSpec("127.0.0.1", server.getLocalPort()), 10_000);
            try (Socket backend = server.accept()) {
                // As pgjdbc's replication protocol leaves it: a timed read on every check.
                stream.setMinStreamAvailableCheckDelay(0);
                stream.setNetworkTimeout(0);
                assertEquals(ServerMessages.Wait.QUIET, ServerMessages.await(stream, Duration.ofMillis(20)));
                assertFalse(stream.hasMessagePending(), "nothing has come");

                OutputStream out = backend.getOutputStream();
                out.write(new byte[] {'d'});
                out.flush();
                // What reaches the socket is seen by the check (the socket's available bytes), and left to be read.
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!stream.hasMessagePending() && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                assertTrue(stream.hasMessagePending(), "the byte sent is pending");
                assertEquals('d', stream.receiveChar());
                assertFalse(stream.hasMessagePending(), "nothing more has come");
            }
            // The server has gone: the wait ends, and the next read reports it.
            assertEquals(ServerMessages.Wait.READABLE, ServerMessages.await(stream, Duration.ofSeconds(30)));
            assertThrows(java.io.IOException.class, stream::receiveChar);
            stream.close();
        }
    }
}
