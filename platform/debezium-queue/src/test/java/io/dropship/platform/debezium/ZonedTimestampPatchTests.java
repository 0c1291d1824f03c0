package io.dropship.platform.debezium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.debezium.time.ZonedTimestamp;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjuster;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** The copy of Debezium's ZonedTimestamp: made from the Debezium beside it, writing what Debezium's own class writes. */
class ZonedTimestampPatchTests {

    @Test
    void theCopyIsMadeFromTheDebeziumBesideIt() throws Exception {
        PatchVersions.assertMadeFromTheDebeziumBesideIt(ZonedTimestamp.class);
    }

    @Test
    void everyFractionWidthIsWrittenAsDebeziumsOwnClassWritesIt() throws Exception {
        // Debezium's own class, loaded from its jar alone (the copy comes first on this module's class path).
        URL debezium = jarOf("META-INF/maven/io.debezium/debezium-core/pom.properties");
        URL connect = SchemaBuilder.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader own =
                new URLClassLoader(new URL[] {debezium, connect}, ClassLoader.getPlatformClassLoader())) {
            Class<?> original = own.loadClass("io.debezium.time.ZonedTimestamp");
            assertTrue(
                    Arrays.stream(original.getFields())
                            .noneMatch(f -> f.getName().equals("PATCH")),
                    "Debezium's own");
            Method theirs =
                    original.getMethod("toIsoString", ZonedDateTime.class, TemporalAdjuster.class, Integer.class);
            Random random = new Random(20261207);
            List<ZoneId> zones =
                    List.of(ZoneOffset.UTC, ZoneOffset.ofHoursMinutes(5, 30), ZoneId.of("America/New_York"));
            for (Integer width : Arrays.asList(null, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)) {
                for (int i = 0; i < 200; i++) {
                    ZonedDateTime at = Instant.ofEpochSecond(
                                    random.nextInt(2_000_000_000), i % 7 == 0 ? 0 : random.nextInt(1_000_000_000))
                            .atZone(zones.get(i % zones.size()));
                    assertEquals(
                            theirs.invoke(null, at, null, width),
                            ZonedTimestamp.toIsoString(at, null, width),
                            at + " at width " + width);
                }
            }
        }
    }

    private static URL jarOf(String resource) throws Exception {
        String inJar = ZonedTimestampPatchTests.class
                .getClassLoader()
                .getResource(resource)
                .toString();
        return new URL(inJar.substring("jar:".length(), inJar.indexOf("!/")));
    }
}
