package io.dropship.platform.work;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.infra.LocalPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A work queue's claim on a real PostgreSQL: two claimers never share a row, and a dead claimer's rows come back. */
class WorkQueueIT {

    private static LocalPostgres postgres;

    private final WorkQueue queue = WorkQueue.of(
            "job", "id", Duration.ofMinutes(2), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1)), 3);

    private static final String DUE = "status = 'PENDING' and next_attempt_at <= now()";

    @BeforeAll
    static void start() throws Exception {
        postgres = LocalPostgres.start(null, 0);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void jobs() throws SQLException {
        try (Connection c = postgres.connect("postgres");
                Statement s = c.createStatement()) {
            s.execute("drop table if exists job");
            s.execute("create table job (id int primary key, status text not null, next_attempt_at timestamptz,"
                    + " lease_until timestamptz, attempts int not null default 0)");
            s.execute(
                    "insert into job (id, status, next_attempt_at) select g, 'PENDING', now() - make_interval(secs => g)"
                            + " from generate_series(1, 5) g");
            s.execute("insert into job (id, status, next_attempt_at) values (6, 'PENDING', now() + interval '1 hour'),"
                    + " (7, 'DONE', null)");
        }
    }

    private List<Integer> claim(Connection c, int limit) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(queue.claimSql(DUE, null, "next_attempt_at", "?", "id"))) {
            s.setInt(1, limit);
            List<Integer> ids = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getInt(1));
                }
            }
            return ids;
        }
    }

    @Test
    void twoClaimersAtOnceTakeDifferentRowsAndOnlyDueOnes() throws SQLException {
        try (Connection a = postgres.connect("postgres");
                Connection b = postgres.connect("postgres")) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            List<Integer> first = claim(a, 3);
            // While the first has not committed, its rows are locked: the second skips them, never waits.
            List<Integer> second = claim(b, 3);
            a.commit();
            b.commit();
            assertEquals(List.of(3, 4, 5), first.stream().sorted().toList(), "the longest due go first");
            assertEquals(List.of(1, 2), second.stream().sorted().toList());
            Set<Integer> all = new HashSet<>(first);
            all.addAll(second);
            assertEquals(5, all.size(), "no row twice");
        }
        try (Connection c = postgres.connect("postgres")) {
            assertEquals(List.of(), claim(c, 10), "leased rows, a row not due and a done row are nobody's to claim");
        }
    }

    @Test
    void aRowWhoseLeaseRanOutComesBackWithItsAttemptCountedAndASettledOneIsFree() throws SQLException {
        try (Connection c = postgres.connect("postgres");
                Statement s = c.createStatement()) {
            assertEquals(5, claim(c, 10).size());
            // The claimer of job 1 died: its lease runs out. Job 2 was settled: due again later, its lease released.
            s.execute("update job set lease_until = now() - interval '1 second' where id = 1");
            s.execute("update job set " + queue.release() + ", next_attempt_at = now() where id = 2");
            assertEquals(List.of(1, 2), claim(c, 10).stream().sorted().toList());
            try (ResultSet rs = s.executeQuery("select attempts from job where id = 1")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getInt(1));
            }
            assertTrue(queue.afterFailure(3, null).giveUp(), "the third failed attempt is the last");
        }
    }
}
