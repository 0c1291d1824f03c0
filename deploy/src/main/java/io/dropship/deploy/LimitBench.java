package io.dropship.deploy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The database's floor on this machine: pgbench's TPC-B-like transaction (update an account, read it back, update a
 * teller and a branch, insert a history row) from 8 clients against the fleet's own PostgreSQL (the server of the
 * orders database, with the other five servers beside it as in the bench), in a scratch database, for 20 seconds. An order needs about four short transactions, so this says how far the fleet's CPU per order is
 * from what the database alone allows. The transaction is written here (as pgbench's built-in script is), so no
 * pgbench install is needed. Usage: {@code ./fleet bench limit [clients] [seconds]}.
 */
final class LimitBench {

    private static final int SCALE = 1;
    private static final int ACCOUNTS = 100_000 * SCALE;
    private static final int TELLERS = 10 * SCALE;

    private LimitBench() {}

    static boolean run(int clients, int seconds) {
        String server = "jdbc:postgresql://127.0.0.1:" + FleetDatabases.port("orders") + "/";
        try {
            try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "postgres");
                    Statement s = c.createStatement()) {
                s.execute("drop database if exists bench_limit");
                s.execute("create database bench_limit");
            }
            try (Connection c = DriverManager.getConnection(server + "bench_limit", "postgres", "postgres");
                    Statement s = c.createStatement()) {
                s.execute(
                        "create table branches (bid int primary key, bbalance int, filler char(88)) with (fillfactor = 100)");
                s.execute("create table tellers (tid int primary key, bid int, tbalance int, filler char(84))");
                s.execute("create table accounts (aid int primary key, bid int, abalance int, filler char(84))");
                s.execute(
                        "create table history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))");
                s.execute("insert into branches select g, 0 from generate_series(1, " + SCALE + ") g");
                s.execute(
                        "insert into tellers select g, (g - 1) / 10 + 1, 0 from generate_series(1, " + TELLERS + ") g");
                s.execute("insert into accounts select g, (g - 1) / 100000 + 1, 0 from generate_series(1, " + ACCOUNTS
                        + ") g");
                s.execute("vacuum analyze");
            }
            AtomicLong done = new AtomicLong();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> {
                    try (Connection c = DriverManager.getConnection(server + "bench_limit", "postgres", "postgres")) {
                        transactions(c, end, done);
                    } catch (SQLException e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
            if (!failures.isEmpty()) {
                System.out.println("bench limit: FAILED  " + failures.get(0));
                return false;
            }
            double tps = done.get() / (double) seconds;
            System.out.printf(
                    "bench limit: the fleet's PostgreSQL (the fleet idle beside it), TPC-B-like, %d clients, %d s: %.0f transactions/s (%.2f ms of the"
                            + " server per transaction, %.2f ms a client waits for one); at about four per order the"
                            + " database allows about %.0f orders/s%n",
                    clients, seconds, tps, 1000.0 / tps, 1000.0 * clients / tps, tps / 4);
            try (Connection c = DriverManager.getConnection(server + "postgres", "postgres", "postgres");
                    Statement s = c.createStatement()) {
                s.execute("drop database if exists bench_limit");
            }
            return true;
        } catch (Exception e) {
            System.out.println("bench limit: FAILED  " + e);
            return false;
        }
    }

    /** pgbench's built-in "TPC-B (sort of)" script, one transaction after another until {@code end}. */
    private static void transactions(Connection c, long end, AtomicLong done) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement account =
                        c.prepareStatement("update accounts set abalance = abalance + ? where aid = ?");
                PreparedStatement read = c.prepareStatement("select abalance from accounts where aid = ?");
                PreparedStatement teller =
                        c.prepareStatement("update tellers set tbalance = tbalance + ? where tid = ?");
                PreparedStatement branch =
                        c.prepareStatement("update branches set bbalance = bbalance + ? where bid = ?");
                PreparedStatement history = c.prepareStatement(
                        "insert into history (tid, bid, aid, delta, mtime) values (?, ?, ?, ?, current_timestamp)")) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < end) {
                int aid = random.nextInt(1, ACCOUNTS + 1);
                int tid = random.nextInt(1, TELLERS + 1);
                int bid = random.nextInt(1, SCALE + 1);
                int delta = random.nextInt(-5000, 5001);
                try {
                    account.setInt(1, delta);
                    account.setInt(2, aid);
                    account.executeUpdate();
                    read.setInt(1, aid);
                    read.executeQuery().close();
                    teller.setInt(1, delta);
                    teller.setInt(2, tid);
                    teller.executeUpdate();
                    branch.setInt(1, delta);
                    branch.setInt(2, bid);
                    branch.executeUpdate();
                    history.setInt(1, tid);
                    history.setInt(2, bid);
                    history.setInt(3, aid);
                    history.setInt(4, delta);
                    history.executeUpdate();
                    c.commit();
                    done.incrementAndGet();
                } catch (SQLException e) {
                    // A deadlock between two clients' tellers and branches, as pgbench may meet too: try another.
                    c.rollback();
                }
            }
        }
    }
}
