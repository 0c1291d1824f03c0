package io.dropship.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FailuresTests {

    @Test
    void aDownDatabaseOrAConflictIsTransientABadRecordIsPoisonAndABugIsUnknown() {
        assertEquals(Failures.Kind.POISON, Failures.classify(new PoisonMessageException("no key")));
        assertEquals(
                Failures.Kind.TRANSIENT,
                Failures.classify(new RuntimeException(new java.net.ConnectException("refused"))));
        assertEquals(
                Failures.Kind.TRANSIENT,
                Failures.classify(new java.util.concurrent.CompletionException(new io.vertx.pgclient.PgException(
                        "terminating connection due to administrator command", "FATAL", "57P01", null))));
        assertEquals(
                Failures.Kind.TRANSIENT,
                Failures.classify(
                        new io.vertx.pgclient.PgException("could not serialize access", "ERROR", "40001", null)));
        assertEquals(
                Failures.Kind.UNKNOWN,
                Failures.classify(new io.vertx.pgclient.PgException(
                        "duplicate key value violates unique constraint", "ERROR", "23505", null)));
        assertEquals(
                Failures.Kind.POISON,
                Failures.classify(new RuntimeException(
                        new com.fasterxml.jackson.core.JsonParseException(null, "unexpected character"))));
        // A service stopping closes its pool under the events in flight: they must wait for the next start.
        assertEquals(
                Failures.Kind.TRANSIENT,
                Failures.classify(new java.util.concurrent.CompletionException(
                        new io.vertx.core.impl.NoStackTraceThrowable("Pool closed"))));
        assertEquals(Failures.Kind.UNKNOWN, Failures.classify(new io.vertx.core.impl.NoStackTraceThrowable("no")));
        assertEquals(Failures.Kind.UNKNOWN, Failures.classify(new IllegalStateException("a bug")));
    }
}
