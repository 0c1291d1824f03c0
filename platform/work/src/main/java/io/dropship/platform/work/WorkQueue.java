package io.dropship.platform.work;

import java.time.Duration;
import java.util.Objects;

/**
 * A table of due rows that a {@link PeriodicJob} works off: calls to an outside party (a supplier's callback, a
 * store's API, a stock feed) that are made from the database, so none is lost to a crash and several instances share
 * the work. Each round claims due rows, makes the calls, and settles each row: done, or due again after a wait, or
 * given up once its attempts are used up.
 *
 * <p>One lease style for every queue: a row is free when its lease column is null or past. A claim takes up to a
 * batch of free, due rows with {@code FOR UPDATE SKIP LOCKED} (two instances never take the same row), leases them
 * ({@code lease_until = now() + lease}) and counts the attempt, in one statement. Settling a row clears its lease; a
 * row whose instance died comes back by itself when its lease runs out.
 *
 * <p>The queue writes the claim's SQL; the caller runs it on its client (Hibernate Reactive or the Vert.x pool),
 * binding the batch size where {@link #claimSql} puts its {@code limit} placeholder.
 *
 * @param table       the queue's table
 * @param key         its key column, or columns ("dispute_id, supplier_order_id")
 * @param lease       how long a claimed row is the claimer's: longer than the calls of one round can take
 * @param backoff     the wait before the next attempt, by attempts made
 * @param maxAttempts attempts before a row is given up (0: never)
 * @param leaseColumn the lease column ({@code lease_until} unless the table keeps several queues)
 * @param attempts    the attempts column, or null when the queue does not count them
 */
public record WorkQueue(
        String table,
        String key,
        Duration lease,
        Backoff backoff,
        int maxAttempts,
        String leaseColumn,
        String attempts) {

    public WorkQueue {
        Objects.requireNonNull(table);
        Objects.requireNonNull(key);
        Objects.requireNonNull(lease);
        Objects.requireNonNull(leaseColumn);
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("a lease is a positive duration");
        }
    }

    /** A queue with the usual columns: {@code lease_until} and {@code attempts}. */
    public static WorkQueue of(String table, String key, Duration lease, Backoff backoff, int maxAttempts) {
        return new WorkQueue(table, key, lease, backoff, maxAttempts, "lease_until", "attempts");
    }

    /** The same queue over other lease and attempts columns (attempts null: not counted). */
    public WorkQueue columns(String leaseColumn, String attempts) {
        return new WorkQueue(table, key, lease, backoff, maxAttempts, leaseColumn, attempts);
    }

    /**
     * The claim: leases up to {@code limit} rows that are due ({@code due}, a condition on the table's columns) and
     * free, in {@code order}, and answers {@code returning} for each.
     *
     * @param due       when a row is due, for example {@code status = 'PENDING' and next_attempt_at <= now()}
     * @param alsoSet   further assignments made by the claim (for example {@code status = 'IN_FLIGHT'}), or null
     * @param order     which due rows go first, for example {@code next_attempt_at}
     * @param limit     the batch size's placeholder in the caller's client ({@code :n}, {@code $1}) or a number
     * @param returning the columns answered for each claimed row (subqueries may read other tables)
     */
    public String claimSql(String due, String alsoSet, String order, String limit, String returning) {
        // A key of several columns ("a, b") is compared as a row: (a, b) in (select a, b ...).
        String keyRow = key.contains(",") ? "(" + key + ")" : key;
        return "update " + table + " set " + leaseColumn + " = now() + make_interval(secs => "
                + lease.toMillis() / 1000.0 + ")"
                + (attempts == null ? "" : ", " + attempts + " = " + attempts + " + 1")
                + (alsoSet == null || alsoSet.isBlank() ? "" : ", " + alsoSet)
                + " where " + keyRow + " in (select " + key + " from " + table + " where (" + due + ") and " + free()
                + " order by " + order + " limit " + limit + " for update skip locked)"
                + " returning " + returning;
    }

    /** The condition that a row is nobody's: its lease is null or ran out. */
    public String free() {
        return "(" + leaseColumn + " is null or " + leaseColumn + " < now())";
    }

    /** The assignment that frees a settled row, for the settling statement's {@code set}. */
    public String release() {
        return leaseColumn + " = null";
    }

    /** What comes of a failed attempt: tried again {@code after} a wait, or given up. */
    public record Retry(boolean giveUp, Duration after) {}

    /**
     * After the {@code attempts}-th attempt failed: given up once the attempts are used up, else tried again after the
     * wait the outside party asked for ({@code asked}, its Retry-After; null for none) or the backoff.
     */
    public Retry afterFailure(int attempts, Duration asked) {
        if (maxAttempts > 0 && attempts >= maxAttempts) {
            return new Retry(true, Duration.ZERO);
        }
        return new Retry(false, asked != null ? asked : backoff.after(attempts));
    }
}
