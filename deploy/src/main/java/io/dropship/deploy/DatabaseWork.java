package io.dropship.deploy;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the orders of a bench cost the fleet's PostgreSQL in counts rather than CPU time: transactions that wrote (the
 * servers' transaction ids handed out), WAL records and bytes ({@code pg_stat_wal}), and transactions per service
 * database, read-only ones included ({@code pg_stat_database}), summed over the six servers (one per database). Every
 * writing commit wakes its server's replication slot, and the slot reads every WAL record of its server, a system call
 * per record, so these counts move with the database's CPU but, unlike it, do not vary with the machine's load. The
 * servers' backends flush their statistics within 10 s, so {@link #after} waits that long first; what the idle fleet
 * does in that time is counted too (a few transactions).
 */
final class DatabaseWork {

    private final Map<String, Long> transactions;
    private final long nextXid;
    private final long walRecords;
    private final long walBytes;

    private DatabaseWork(Map<String, Long> transactions, long nextXid, long walRecords, long walBytes) {
        this.transactions = transactions;
        this.nextXid = nextXid;
        this.walRecords = walRecords;
        this.walBytes = walBytes;
    }

    /** The servers' counters now, or null when they cannot be read (the bench then prints no database line). */
    static DatabaseWork now() {
        Map<String, Long> transactions = new TreeMap<>();
        long nextXid = 0;
        long walRecords = 0;
        long walBytes = 0;
        for (String database : FleetDatabases.names()) {
            try (Connection c = Chaos.db(database);
                    Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery(
                        "select xact_commit + xact_rollback from pg_stat_database where datname = current_database()")) {
                    rs.next();
                    transactions.put(database, rs.getLong(1));
                }
                // The next transaction id, read without taking one: a transaction gets an id when it first writes.
                try (ResultSet rs = s.executeQuery("select cast(cast(pg_snapshot_xmax(pg_current_snapshot()) as text)"
                        + " as bigint), wal_records, wal_bytes from pg_stat_wal")) {
                    rs.next();
                    nextXid += rs.getLong(1);
                    walRecords += rs.getLong(2);
                    walBytes += rs.getLong(3);
                }
            } catch (SQLException e) {
                System.out.println("bench: the database's counters could not be read: " + e.getMessage());
                return null;
            }
        }
        return new DatabaseWork(transactions, nextXid, walRecords, walBytes);
    }

    /** The counters once the backends have flushed what the run did. */
    static DatabaseWork after() throws InterruptedException {
        Thread.sleep(11_000);
        return now();
    }

    /** One line per run: writing transactions, WAL records and WAL per order, then transactions by database. */
    static void print(PrintStream out, DatabaseWork before, DatabaseWork after, int orders) {
        if (before == null || after == null || orders == 0) {
            return;
        }
        double n = orders;
        StringBuilder byDatabase = new StringBuilder();
        for (Map.Entry<String, Long> e : after.transactions.entrySet()) {
            long made = e.getValue() - before.transactions.getOrDefault(e.getKey(), e.getValue());
            byDatabase.append(String.format(" %s %.1f", e.getKey(), made / n));
        }
        out.printf(
                "bench: database per order: %.1f transactions that wrote, %.0f WAL records, %.1f KB of WAL;"
                        + " transactions per order by database, read-only ones too:%s%n",
                (after.nextXid - before.nextXid) / n,
                (after.walRecords - before.walRecords) / n,
                (after.walBytes - before.walBytes) / n / 1024,
                byDatabase);
    }
}
