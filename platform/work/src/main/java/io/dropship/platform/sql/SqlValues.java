package io.dropship.platform.sql;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Values as native queries hand them back, in the types the services use. */
public final class SqlValues {

    private SqlValues() {}

    /** A text cut to fit a column of {@code max} characters, its end marked with an ellipsis when cut; null stays null. */
    public static String fit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    /** A timestamptz column of a native query's row (OffsetDateTime, Timestamp, LocalDateTime taken as UTC, or Instant). */
    public static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof java.sql.Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof LocalDateTime t) {
            return t.toInstant(ZoneOffset.UTC);
        }
        throw new IllegalArgumentException("not a timestamp: " + o.getClass().getName());
    }
}
