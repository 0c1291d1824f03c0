package io.dropship.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** What the edge answers for failures no resource mapped itself. */
class ProblemMappersTests {

    private final ProblemMappers mappers = new ProblemMappers();

    @Test
    void aConcurrentChangeThatWonIsAConflictNothingWasWritten() {
        Response r = mappers.unexpected(new CompletionException(new OptimisticLockException("row was updated")), null);
        assertEquals(409, r.getStatus());
        Problem p = (Problem) r.getEntity();
        assertEquals("Conflict", p.title());
        assertEquals(true, p.detail().contains("nothing was changed by this one"));
    }

    @Test
    void anUnreachableDatabaseIs503WithRetryAfterAndAnythingElse500() {
        Response down = mappers.unexpected(
                new CompletionException(new io.vertx.core.VertxException(
                        "Connection refused", new java.net.ConnectException("Connection refused"))),
                null);
        assertEquals(503, down.getStatus());
        assertEquals("5", down.getHeaderString("Retry-After"));
        Response bug = mappers.unexpected(new IllegalStateException("a bug"), null);
        assertEquals(500, bug.getStatus());
        assertNull(bug.getHeaderString("Retry-After"));
    }
}
