package io.dropship.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.infra.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The local fleet's databases on real PostgreSQL servers: a .fleet/ of earlier versions, every database in one
 * cluster, is moved to a server per database with each database's rows and its relay's replication slot, and
 * nothing of the other databases; a later start finds the servers as they were. Same ports as the end-to-end test
 * (it runs in the same JVM, one test class after the other).
 */
class FleetDatabasesIT {

    static {
        System.setProperty("FLEET_PORT_OFFSET", "200");
        System.setProperty("FLEET_POSTGRES_PORT", "25432");
        System.setProperty("FLEET_KAFKA_PORT", "29092");
    }

    private static final Path DATA =
            Path.of("").toAbsolutePath().resolve("target").resolve("fleet-databases");

    private FleetDatabases databases;

    @AfterEach
    void stopAndRemove() throws Exception {
        if (databases != null) {
            databases.close();
        }
        FleetDatabases.deleteRecursively(DATA);
    }

    @Test
    void aSharedClusterIsMovedToAServerPerDatabaseWithItsRowsAndItsSlot() throws Exception {
        FleetDatabases.deleteRecursively(DATA);
        Files.createDirectories(DATA);
        // The layout of earlier versions: .fleet/postgres with two service databases, each with a row and the slot its
        // outbox relay reads.
        LocalPostgres shared = LocalPostgres.start(DATA.resolve("postgres"), FleetDatabases.port("gateway"));
        try {
            for (String database : List.of("gateway", "orders")) {
                shared.ensureDatabase(database);
                try (Connection c = shared.connect(database);
                        Statement s = c.createStatement()) {
                    s.execute("create table kept (what text)");
                    s.execute("insert into kept values ('" + database + "''s row')");
                    s.execute("select pg_create_logical_replication_slot('" + database + "_relay', 'pgoutput')");
                }
            }
        } finally {
            shared.close();
        }
        assertTrue(FleetDatabases.sharedClusterToSplit(DATA));

        Path kept = FleetDatabases.splitSharedCluster(DATA);
        databases = FleetDatabases.start(DATA);

        assertEquals(DATA.resolve("postgres-before-split"), kept);
        assertTrue(Files.exists(kept.resolve("PG_VERSION")), "the old cluster is kept for its owner");
        assertFalse(Files.exists(DATA.resolve("postgres")));
        assertFalse(FleetDatabases.sharedClusterToSplit(DATA), "moved once");
        for (String database : FleetDatabases.names()) {
            LocalPostgres server = databases.server(database);
            assertEquals(FleetDatabases.port(database), server.port());
            assertEquals(
                    List.of(database),
                    strings(
                            server,
                            "postgres",
                            "select datname from pg_database where datname = any (array"
                                    + "['gateway', 'catalog', 'orders', 'inventory', 'fulfillment', 'settlement'])"),
                    "the server of " + database + " holds that database only");
        }
        for (String database : List.of("gateway", "orders")) {
            LocalPostgres server = databases.server(database);
            assertEquals(List.of(database + "'s row"), strings(server, database, "select what from kept"));
            assertEquals(
                    List.of(database + "_relay " + database),
                    strings(server, "postgres", "select slot_name || ' ' || database from pg_replication_slots"),
                    "the relay's slot moves with its database, and only it");
        }
        assertEquals(
                List.of(),
                strings(databases.server("catalog"), "catalog", "select 1 from pg_class where relname = 'kept'"));

        // A later start finds every server as it left it.
        databases.close();
        databases = FleetDatabases.start(DATA);
        assertEquals(List.of("orders's row"), strings(databases.server("orders"), "orders", "select what from kept"));
        assertEquals(6, databases.pids().size(), "a postmaster per database: " + databases.pids());
    }

    private static List<String> strings(LocalPostgres server, String database, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = server.connect(database);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
