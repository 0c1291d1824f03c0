package io.dropship.platform.work;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTests {

    @Test
    void doublesFromTheInitialWaitUpToTheMaximum() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(1));
        assertEquals(Duration.ofSeconds(2), backoff.after(1));
        assertEquals(Duration.ofSeconds(4), backoff.after(2));
        assertEquals(Duration.ofSeconds(32), backoff.after(5));
        assertEquals(Duration.ofMinutes(1), backoff.after(6));
        assertEquals(Duration.ofMinutes(1), backoff.after(500));
        assertEquals(Duration.ofSeconds(2), backoff.after(0));
    }
}
