package io.dropship.platform.debezium;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.util.Properties;

/** A patched copy names the Debezium version it was made from in its PATCH field ("3.3.1.Final: what changed"). */
final class PatchVersions {

    private PatchVersions() {}

    /**
     * Fails when the copy was made from another Debezium than the one beside it: then compare Debezium's class with the
     * copy again, and carry the change over or drop the copy.
     */
    static void assertMadeFromTheDebeziumBesideIt(Class<?> copy) throws Exception {
        Properties pom = new Properties();
        try (InputStream in =
                copy.getClassLoader().getResourceAsStream("META-INF/maven/io.debezium/debezium-core/pom.properties")) {
            pom.load(in);
        }
        String patch = (String) copy.getField("PATCH").get(null);
        assertEquals(pom.getProperty("version"), patch.substring(0, patch.indexOf(':')), copy.getName());
    }
}
