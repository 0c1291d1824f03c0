package io.dropship.platform.work;

import java.time.Duration;

/** Exponential backoff for calls out of the platform that are retried from the database (store pushes, supplier callbacks). */
public record Backoff(Duration initial, Duration max) {

    /** The wait after the given attempt (1 = the first): initial, then twice as long each time, at most max. */
    public Duration after(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration wait = initial.multipliedBy(factor);
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
