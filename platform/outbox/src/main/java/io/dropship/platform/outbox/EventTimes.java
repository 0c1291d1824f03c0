package io.dropship.platform.outbox;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Reads the occurredAt header of an event: ISO-8601 with an offset, as Debezium renders the outbox's timestamptz
 * column ({@code 2026-12-05T08:12:00.123456Z}). The relay reads it for its delay metric and every consumer for the
 * event it applies; {@link OffsetDateTime#parse} allocated 8 % of what catalog-service allocated during an import
 * (its parser builds a field map per value). The common form {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:MM)} is read
 * here digit by digit; anything else goes to {@link OffsetDateTime#parse}, so the answer is always the one it gives.
 */
final class EventTimes {

    private EventTimes() {}

    /** The instant, or null when the value is absent or not a time with an offset. */
    static Instant parse(String value) {
        if (value == null) {
            return null;
        }
        Instant fast = common(value);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The common form, or null to leave the value to OffsetDateTime.parse. */
    static Instant common(String v) {
        int n = v.length();
        if (n < 20
                || v.charAt(4) != '-'
                || v.charAt(7) != '-'
                || v.charAt(10) != 'T'
                || v.charAt(13) != ':'
                || v.charAt(16) != ':') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        if (year < 0
                || month < 0
                || day < 0
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (v.charAt(i) == '.') {
            int start = ++i;
            while (i < n && i - start < 9 && isDigit(v.charAt(i))) {
                nanos = nanos * 10 + (v.charAt(i) - '0');
                i++;
            }
            int count = i - start;
            if (count == 0 || (i < n && isDigit(v.charAt(i)))) {
                return null;
            }
            for (int k = count; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (i == n - 1 && v.charAt(i) == 'Z') {
            offsetSeconds = 0;
        } else if (i == n - 6 && (v.charAt(i) == '+' || v.charAt(i) == '-') && v.charAt(i + 3) == ':') {
            int oh = digits(v, i + 1, 2);
            int om = digits(v, i + 4, 2);
            if (oh < 0 || oh > 18 || om < 0 || om > 59 || (oh == 18 && om > 0)) {
                return null;
            }
            offsetSeconds = (oh * 3600 + om * 60) * (v.charAt(i) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException e) {
            return null;
        }
        long seconds = epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The number written by count digits from start, or -1 if one of them is not a digit. */
    private static int digits(String v, int start, int count) {
        int out = 0;
        for (int i = start; i < start + count; i++) {
            char c = v.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            out = out * 10 + (c - '0');
        }
        return out;
    }
}
