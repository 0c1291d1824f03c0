package io.dropship.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The occurredAt reader gives what OffsetDateTime.parse gives, and reads the common form without it. */
class EventTimesTests {

    private static Instant reference(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    @Test
    void debeziumsFormAndOffsetsAreReadDigitByDigit() {
        assertEquals(Instant.parse("2026-12-05T08:12:00.123456Z"), EventTimes.common("2026-12-05T08:12:00.123456Z"));
        assertEquals(Instant.parse("2026-12-05T08:12:00Z"), EventTimes.common("2026-12-05T08:12:00Z"));
        assertEquals(Instant.parse("2026-12-05T06:42:00.5Z"), EventTimes.common("2026-12-05T08:12:00.5+01:30"));
        assertEquals(Instant.parse("2024-03-01T03:00:00Z"), EventTimes.common("2024-02-29T23:00:00-04:00"));
        assertEquals(
                Instant.parse("1970-01-01T00:00:00.000000001Z"), EventTimes.common("1970-01-01T00:00:00.000000001Z"));
    }

    /**
     * Random instants from 1906 to 2223 written in ISO-8601 with a random offset, in every precision from seconds to
     * nanoseconds, as given forms write them (each a value EventTimes.common reads).
     */
    static List<String> randomTimes(long seed, int count) {
        Random random = new Random(seed);
        List<DateTimeFormatter> forms = List.of(
                DateTimeFormatter.ISO_INSTANT,
                DateTimeFormatter.ISO_OFFSET_DATE_TIME,
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssXXX"),
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX"),
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSXXX"),
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX"));
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Instant at = Instant.ofEpochSecond(
                    random.nextLong(-2_000_000_000L, 8_000_000_000L), random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 4, 18 * 4 + 1) * 15 * 60);
            out.add(forms.get(random.nextInt(forms.size())).format(at.atOffset(offset)));
        }
        return out;
    }

    @Test
    void randomTimesInEveryPrecisionAndOffsetMatchOffsetDateTime() {
        for (String text : randomTimes(20261205, 20_000)) {
            Instant fast = EventTimes.common(text);
            assertNotNull(fast, text);
            assertEquals(reference(text), fast, text);
            assertEquals(reference(text), EventTimes.parse(text), text);
        }
    }

    @Test
    void otherFormsAreLeftToOffsetDateTimeAndNonsenseIsNull() {
        for (String text : List.of(
                "2026-12-05t08:12:00z",
                "2026-12-05T08:12:00+01:00:30",
                "+12026-12-05T08:12:00Z",
                "2026-12-05T08:12Z",
                "2026-12-05T08:12:00.Z")) {
            assertNull(EventTimes.common(text), text);
            assertEquals(reference(text), EventTimes.parse(text), text);
        }
        assertNotNull(EventTimes.parse("2026-12-05t08:12:00z"));
        for (String text : List.of(
                "",
                "yesterday",
                "2026-02-30T08:12:00Z",
                "2026-12-05T24:00:00Z",
                "2026-12-05T08:60:00Z",
                "2026-12-05T08:12:60Z",
                "2026-12-05T08:12:00.1234567890Z",
                "2026-12-05T08:12:00+19:00",
                "2026-12-05T08:12:00+01:60",
                "2026-12-05T08:12:00",
                "2026-12-05T08:12:00Z ",
                "2026-1a-05T08:12:00Z")) {
            assertNull(EventTimes.parse(text), text);
            assertNull(reference(text), text);
        }
        assertNull(EventTimes.parse(null));
    }
}
