package io.dropship.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server for tests and the local fleet: the embedded binaries from io.zonky.test, or an
 * external server named by DROPSHIP_PG_HOST (with DROPSHIP_PG_PORT, DROPSHIP_PG_USER, DROPSHIP_PG_PASSWORD).
 * Either way it must run with wal_level=logical, because every service's outbox relay decodes the WAL.
 * The caller closes it (tests in a shutdown hook, the fleet after its services).
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");

    private volatile EmbeddedPostgres embedded;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    /** Where the embedded cluster lives, and whether it is ours to delete on close (a temporary one). */
    private final Path dataDirectory;

    private final boolean temporary;
    private volatile boolean running = true;
    /** The postmaster last found in postmaster.pid, while it lives. */
    private volatile ProcessHandle postmaster;
    /** How an external server the caller runs (a container) is stopped and started again; null when it is not ours. */
    private Lifecycle lifecycle;

    /** Stops and starts a server this class does not run itself (a container), for the fault tests. */
    public interface Lifecycle {
        void stop() throws IOException;

        void start() throws IOException;

        void close();
    }

    /**
     * A server someone else runs (a Testcontainers container), with wal_level=logical, that {@link #stopServer()} and
     * {@link #startAgain()} stop and start through {@code lifecycle}, on the same host and port.
     */
    public static LocalPostgres external(String host, int port, String user, String password, Lifecycle lifecycle)
            throws IOException {
        LocalPostgres server = new LocalPostgres(null, host, port, user, password, null, false);
        server.lifecycle = lifecycle;
        server.requireLogicalWal();
        return server;
    }

    private LocalPostgres(
            EmbeddedPostgres embedded,
            String host,
            int port,
            String user,
            String password,
            Path dataDirectory,
            boolean temporary) {
        this.embedded = embedded;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.dataDirectory = dataDirectory;
        this.temporary = temporary;
    }

    /**
     * Starts the embedded server, or connects to the external one when DROPSHIP_PG_HOST is set.
     *
     * @param dataDirectory where the cluster lives; kept across restarts when given, a fresh temporary one when null
     * @param port the port to listen on, 0 for any free port
     */
    public static LocalPostgres start(Path dataDirectory, int port) throws IOException {
        Optional<String> externalHost = env("DROPSHIP_PG_HOST");
        if (externalHost.isPresent()) {
            LocalPostgres external = new LocalPostgres(
                    null,
                    externalHost.get(),
                    Integer.parseInt(env("DROPSHIP_PG_PORT").orElse("5432")),
                    env("DROPSHIP_PG_USER").orElse("postgres"),
                    env("DROPSHIP_PG_PASSWORD").orElse("postgres"),
                    null,
                    false);
            external.requireLogicalWal();
            return external;
        }
        boolean temporary = dataDirectory == null;
        Path directory = temporary ? Files.createTempDirectory("dropship-postgres") : dataDirectory;
        EmbeddedPostgres pg = embedded(directory, port, !temporary);
        return new LocalPostgres(pg, "127.0.0.1", pg.getPort(), "postgres", "postgres", directory, temporary);
    }

    /**
     * Starts the server on a data directory that outlives it: an existing cluster is started as it is (the kept
     * data of an earlier run, or of this run before a {@link #restart()}), a missing one is made with initdb.
     */
    private static EmbeddedPostgres embedded(Path dataDirectory, int port, boolean durable) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_wal_senders", "40")
                .setServerConfig("max_replication_slots", "40")
                .setServerConfig("max_connections", "400")
                .setServerConfig("fsync", durable ? "on" : "off")
                // The embedded default is off, and a walsender ships WAL only once it is flushed: every outbox
                // event would wait for the WAL writer. On, as in production.
                .setServerConfig("synchronous_commit", "on")
                // The server's default of 128 MB caches a tenth of a catalog of two million products: a search then
                // reads most of the rows it ranks from the kernel's cache, a system call each (83 ms against 32 ms for
                // the same words with the rows in the server's buffers). A kept cluster (the fleet) gets what a
                // database server of its size would; the memory is used only as pages are read.
                .setServerConfig(
                        "shared_buffers",
                        durable ? env("DROPSHIP_PG_SHARED_BUFFERS").orElse("1GB") : "128MB")
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                // Callers stop the server themselves, after the services that use it; zonky's own hook would race them.
                .setRegisterShutdownHook(false);
        if (port > 0) {
            builder.setPort(port);
        }
        return builder.setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .start();
    }

    /**
     * Stops the embedded server as a crash or an operator would (clients see their connections cut), then starts
     * it again on the same port and data. For fault tests and the chaos run.
     *
     * @param down how long the server stays down
     */
    public synchronized void restart(java.time.Duration down) throws IOException {
        if (embedded == null) {
            throw new IllegalStateException("an external PostgreSQL server is not restarted from here");
        }
        stopServer();
        try {
            Thread.sleep(down.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        startAgain();
    }

    /** Stops the embedded server and keeps its data; {@link #startAgain()} brings it back. */
    public synchronized void stopServer() throws IOException {
        if (lifecycle != null && running) {
            lifecycle.stop();
            running = false;
            return;
        }
        if (embedded != null && running) {
            stopEmbedded();
            running = false;
        }
    }

    /**
     * A fast shutdown (what pg_ctl stop does) after a checkpoint, so it fits in the 5 s zonky gives it. A server that
     * outlasts that (a walsender still shipping WAL to an outbox relay) gets an immediate shutdown, as a crash would:
     * the next start recovers from the WAL. Either way the server is gone when this returns, and its port free.
     */
    private void stopEmbedded() throws IOException {
        Optional<ProcessHandle> postmaster = postmaster();
        try (Connection c = connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("checkpoint");
        } catch (SQLException e) {
            // the server stops anyway; it just takes longer
        }
        embedded.close();
        if (postmaster.isPresent() && postmaster.get().isAlive()) {
            new ProcessBuilder("kill", "-QUIT", String.valueOf(postmaster.get().pid()))
                    .inheritIO()
                    .start();
            try {
                postmaster.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IOException("PostgreSQL (pid " + postmaster.get().pid() + ") did not stop", e);
            }
        }
    }

    /** Whether the embedded server is up (an external server always counts as up). */
    public boolean serverAlive() {
        return embedded == null
                || !running
                || postmaster().map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Starts the embedded server again when it died under us (a crash, an operator's kill); {@code false} when it
     * was running.
     */
    public synchronized boolean restartIfDown() throws IOException {
        if (serverAlive()) {
            return false;
        }
        // Releases zonky's hold on the data directory; its pg_ctl stop finds no server and says so in the log.
        embedded.close();
        embedded = embedded(dataDirectory, port, !temporary);
        return true;
    }

    /** The postmaster's process id, when the embedded server runs. */
    public Optional<Long> pid() {
        return postmaster().filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
    }

    /**
     * The running postmaster of the embedded cluster, from its postmaster.pid; the file is read again only once the
     * postmaster it named has gone (the launcher asks five times a second for each server).
     */
    private Optional<ProcessHandle> postmaster() {
        ProcessHandle known = postmaster;
        if (known != null && known.isAlive()) {
            return Optional.of(known);
        }
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            Optional<ProcessHandle> found = Files.exists(pidFile)
                    ? ProcessHandle.of(
                            Long.parseLong(Files.readAllLines(pidFile).get(0).trim()))
                    : Optional.empty();
            postmaster = found.orElse(null);
            return found;
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Starts the embedded server again after {@link #stopServer()}, on the same port and data. */
    public synchronized void startAgain() throws IOException {
        if (lifecycle != null && !running) {
            lifecycle.start();
            running = true;
            return;
        }
        if (embedded != null && !running) {
            embedded = embedded(dataDirectory, port, !temporary);
            running = true;
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }

    /** Whether this class runs the server (the embedded binaries), rather than someone else (DROPSHIP_PG_HOST, a container). */
    public boolean embedded() {
        return dataDirectory != null;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    /** The URL form the Vert.x reactive PostgreSQL client takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), user, password);
    }

    /** Creates the database unless it exists. */
    public void ensureDatabase(String database) throws SQLException {
        if (!DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection c = connect("postgres");
                PreparedStatement exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("create database " + database);
            } catch (SQLException e) {
                // Two JVMs may race to create the same database; losing that race is fine.
                if (!"42P04".equals(e.getSQLState())) {
                    throw e;
                }
            }
        }
    }

    private void requireLogicalWal() throws IOException {
        try (Connection c = connect("postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("show wal_level")) {
            rs.next();
            if (!"logical".equals(rs.getString(1))) {
                throw new IllegalStateException("PostgreSQL at " + host + ":" + port + " runs with wal_level="
                        + rs.getString(1) + "; the outbox relay needs wal_level=logical");
            }
        } catch (SQLException e) {
            throw new IOException("cannot reach PostgreSQL at " + host + ":" + port, e);
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (lifecycle != null) {
            lifecycle.close();
            return;
        }
        if (embedded != null && running) {
            stopEmbedded();
            running = false;
        }
        if (temporary) {
            deleteRecursively(dataDirectory);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
