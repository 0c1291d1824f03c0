package io.dropship.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DefaultDeserializationContext;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Instants read through EventInstants are what Jackson's own reader gives, value for value, error for error. */
class EventInstantsTests {

    private static final ObjectMapper JACKSONS = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final ObjectMapper OURS = customized();

    private static ObjectMapper customized() {
        ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());
        new EventInstants().customize(mapper);
        return mapper;
    }

    /** The instant, or the kind of error, a mapper reads from a JSON value. */
    private static String read(ObjectMapper mapper, String json) {
        try {
            return String.valueOf(mapper.readValue(json, Instant.class));
        } catch (Exception e) {
            return e.getClass().getName();
        }
    }

    private static void same(String json) {
        assertEquals(read(JACKSONS, json), read(OURS, json), json);
    }

    @Test
    void theCustomizedMapperAsksItsOwnReaderForInstants() throws Exception {
        DefaultDeserializationContext context = ((DefaultDeserializationContext) OURS.getDeserializationContext())
                .createInstance(OURS.getDeserializationConfig(), null, null);
        assertInstanceOf(
                EventInstants.Reader.class, context.findRootValueDeserializer(OURS.constructType(Instant.class)));
        assertEquals(
                Instant.parse("2026-12-05T08:12:00.123456Z"),
                OURS.readValue("\"2026-12-05T08:12:00.123456Z\"", Instant.class));
    }

    @Test
    void randomTimesInEveryPrecisionAndOffsetAreReadAsJacksonReadsThem() {
        for (String text : EventTimesTests.randomTimes(20261207, 20_000)) {
            assertNotNull(EventTimes.common(text), text);
            same("\"" + text + "\"");
        }
    }

    @Test
    void otherFormsNumbersNullsAndNonsenseGetJacksonsAnswer() {
        for (String json : List.of(
                "\"2026-12-05t08:12:00z\"",
                "\"2026-12-05T08:12Z\"",
                "\"+12026-12-05T08:12:00Z\"",
                "\" 2026-12-05T08:12:00Z \"",
                "\"2026-02-30T08:12:00Z\"",
                "\"2026-12-05T24:00:00Z\"",
                "\"2026-12-05T08:12:00\"",
                "\"2026-12-05T08:12:00+19:00\"",
                "\"1733580000\"",
                "\"\"",
                "\"yesterday\"",
                "1733580000",
                "1733580000.5",
                "-1",
                "null",
                "true",
                "{}",
                "[]")) {
            same(json);
        }
    }
}
