package io.dropship.deploy;

import io.dropship.infra.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The local fleet's PostgreSQL: a server for each service's database, as production runs a cluster for each service.
 * A service's outbox relay decodes its server's WAL, all of it: with the six databases on one server each of the six
 * walsenders read every database's WAL (8 ms of CPU an order in docs/benchmarks.md, against 2.6 to 3.0 with a server
 * each), and a supplier's import in the catalog kept the other five busy reading what was not theirs.
 *
 * <p>The server of the k-th service of {@link Fleet#SERVICES} listens on FLEET_POSTGRES_PORT + k (15432 the gateway's
 * to 15437 settlement's), its cluster under {@code .fleet/databases/<database>}. A fleet whose data is still in the
 * one cluster of earlier versions ({@code .fleet/postgres}) is moved on its first start: each database with the WAL,
 * the offsets and the slot of its relay, so nothing is relayed twice or lost.
 */
final class FleetDatabases implements AutoCloseable {

    private static final PrintStream OUT = System.out;

    /** The cluster of earlier versions, which held every database. */
    private static final String SHARED = "postgres";

    /** By database, in the order of {@link Fleet#SERVICES}. */
    private final Map<String, LocalPostgres> servers;

    private FleetDatabases(Map<String, LocalPostgres> servers) {
        this.servers = servers;
    }

    /** The service databases, in the order of {@link Fleet#SERVICES}. */
    static List<String> names() {
        return Fleet.SERVICES.stream().map(Fleet.Service::database).toList();
    }

    /** The port of the server that holds {@code database}. */
    static int port(String database) {
        int k = names().indexOf(database);
        if (k < 0) {
            throw new IllegalArgumentException("no service database is called " + database);
        }
        return Fleet.POSTGRES_PORT + k;
    }

    /** What run.status, ./fleet status and the bench call the server of {@code database}. */
    static String label(String database) {
        return "postgresql-" + database;
    }

    static Path directory(Path data, String database) {
        return data.resolve("databases").resolve(database);
    }

    /**
     * The postmaster.pid files a launcher killed without Ctrl-C may leave behind: each server's, and the one cluster's
     * of earlier versions.
     */
    static List<Path> postmasterPidFiles(Path data) {
        List<Path> files = new ArrayList<>();
        names().forEach(d -> files.add(directory(data, d).resolve("postmaster.pid")));
        files.add(data.resolve(SHARED).resolve("postmaster.pid"));
        return files;
    }

    /** Whether the data is still in the one cluster of earlier versions. */
    static boolean sharedClusterToSplit(Path data) {
        return Files.exists(data.resolve(SHARED).resolve("PG_VERSION")) && !Files.exists(data.resolve("databases"));
    }

    /**
     * Starts the six servers side by side and makes each database. Data still in the one cluster of earlier versions
     * is moved first by the caller ({@link #sharedClusterToSplit}, {@link #splitSharedCluster}), which reports it.
     */
    static FleetDatabases start(Path data) throws Exception {
        // Each server is kept as soon as it runs, so a failure of another one still stops it.
        Map<String, LocalPostgres> started = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, Callable<Boolean>> starts = new LinkedHashMap<>();
        for (String database : names()) {
            starts.put(database, () -> {
                LocalPostgres server = LocalPostgres.start(directory(data, database), port(database));
                started.put(database, server);
                dropOtherServiceDatabases(server, database);
                server.ensureDatabase(database);
                return true;
            });
        }
        try {
            inParallel(starts);
        } catch (Exception e) {
            new FleetDatabases(Map.copyOf(started)).close();
            throw e;
        }
        Map<String, LocalPostgres> servers = new LinkedHashMap<>();
        names().forEach(d -> servers.put(d, started.get(d)));
        return new FleetDatabases(servers);
    }

    /** The server that holds {@code database}. */
    LocalPostgres server(String database) {
        LocalPostgres server = servers.get(database);
        if (server == null) {
            throw new IllegalArgumentException("no service database is called " + database);
        }
        return server;
    }

    /** The postmaster of each running server, by {@link #label}. */
    Map<String, Long> pids() {
        Map<String, Long> pids = new LinkedHashMap<>();
        servers.forEach((database, server) -> server.pid().ifPresent(pid -> pids.put(label(database), pid)));
        return pids;
    }

    /** Stops every server as a crash would, and starts them again after {@code down} (the chaos run's fault). */
    void restartAll(Duration down) throws Exception {
        Map<String, Callable<Boolean>> restarts = new LinkedHashMap<>();
        servers.forEach((database, server) -> restarts.put(database, () -> {
            server.restart(down);
            return true;
        }));
        inParallel(restarts);
    }

    /** Starts again the servers that died under the fleet; their databases, none when all ran. */
    List<String> restartTheDead() throws Exception {
        Map<String, Callable<Boolean>> restarts = new LinkedHashMap<>();
        servers.forEach((database, server) -> {
            if (!server.serverAlive()) {
                restarts.put(database, server::restartIfDown);
            }
        });
        return new ArrayList<>(inParallel(restarts).keySet());
    }

    @Override
    public void close() {
        Map<String, Callable<Boolean>> stops = new LinkedHashMap<>();
        servers.forEach((database, server) -> stops.put(database, () -> {
            server.close();
            return true;
        }));
        try {
            inParallel(stops);
        } catch (Exception e) {
            OUT.println("PostgreSQL did not stop cleanly: " + e.getMessage());
        }
    }

    /**
     * A server holds its own database only; other service databases in it came with a copy of the shared cluster
     * (or a move cut short): their relays' slots go first, as a database with a slot cannot be dropped. Done on every
     * start, so a move stopped half way is finished by the next.
     */
    private static void dropOtherServiceDatabases(LocalPostgres server, String own) throws SQLException {
        if (!server.embedded()) {
            // An external server (DROPSHIP_PG_HOST) holds every database: nothing of it is ours to drop.
            return;
        }
        List<String> others = names().stream().filter(d -> !d.equals(own)).toList();
        try (Connection c = server.connect("postgres")) {
            List<String> present = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("select datname from pg_database where datname = any (?)")) {
                s.setArray(1, c.createArrayOf("text", others.toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        present.add(rs.getString(1));
                    }
                }
            }
            for (String other : present) {
                try (PreparedStatement s = c.prepareStatement("select pg_drop_replication_slot(slot_name)"
                        + " from pg_replication_slots where database = ?")) {
                    s.setString(1, other);
                    s.execute();
                }
                try (Statement s = c.createStatement()) {
                    // The name is one of names(): plain lower-case words.
                    s.execute("drop database " + other + " with (force)");
                }
            }
        }
    }

    /**
     * Moves the one cluster of earlier versions into a cluster per database: a file copy of the stopped cluster for
     * each, without the other service databases' files (their catalog entries go at the first start, see
     * {@link #dropOtherServiceDatabases}). A copy keeps the WAL position, each relay's slot and its offsets in its own
     * database, so each relay resumes where it stopped. The old cluster stays, renamed, until its owner removes it;
     * returns where.
     */
    static Path splitSharedCluster(Path data) throws Exception {
        Path shared = data.resolve(SHARED);
        Map<String, String> oidByDatabase = new HashMap<>();
        LocalPostgres old = LocalPostgres.start(shared, port(names().get(0)));
        try (Connection c = old.connect("postgres");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select oid, datname from pg_database")) {
            while (rs.next()) {
                oidByDatabase.put(rs.getString(2), rs.getString(1));
            }
        } finally {
            old.close();
        }
        Path staging = data.resolve("databases.moving");
        deleteRecursively(staging);
        for (String database : names()) {
            Set<Path> leftOut = names().stream()
                    .filter(d -> !d.equals(database) && oidByDatabase.containsKey(d))
                    .map(d -> shared.resolve("base").resolve(oidByDatabase.get(d)))
                    .collect(Collectors.toCollection(HashSet::new));
            leftOut.add(shared.resolve("postmaster.pid"));
            copy(shared, staging.resolve(database), leftOut);
        }
        Files.move(staging, data.resolve("databases"), StandardCopyOption.ATOMIC_MOVE);
        Path kept = data.resolve("postgres-before-split");
        for (int k = 2; Files.exists(kept); k++) {
            kept = data.resolve("postgres-before-split-" + k);
        }
        Files.move(shared, kept);
        return kept;
    }

    private static void copy(Path from, Path to, Set<Path> leftOut) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (leftOut.contains(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!leftOut.contains(file)) {
                    Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        // initdb's modes: PostgreSQL refuses a data directory others may read.
        Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
    }

    /** Removes a directory and everything in it; nothing when it is not there. */
    static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Runs the calls side by side, one thread each; their results by key, or the first failure. */
    private static <T> Map<String, T> inParallel(Map<String, Callable<T>> calls) throws Exception {
        Map<String, T> results = new LinkedHashMap<>();
        if (calls.isEmpty()) {
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(calls.size());
        try {
            Map<String, Future<T>> futures = new LinkedHashMap<>();
            calls.forEach((key, call) -> futures.put(key, pool.submit(call)));
            Exception failure = null;
            for (Map.Entry<String, Future<T>> f : futures.entrySet()) {
                try {
                    results.put(f.getKey(), f.getValue().get());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof Exception cause
                                ? new IOException(f.getKey() + ": " + cause.getMessage(), cause)
                                : e;
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            pool.shutdown();
        }
    }
}
