package io.dropship.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Which Kafka and PostgreSQL the tests get, for every setting, with and without a Docker engine. */
class TestInfrastructureIT {

    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;

    @Test
    void byDefaultContainersWhereDockerAnswersAndEmbeddedWhereItDoesNot() {
        assertEquals(
                TestInfrastructure.Kind.CONTAINERS,
                TestInfrastructure.choose(null, DOCKER).kind());
        assertEquals(
                TestInfrastructure.Kind.EMBEDDED,
                TestInfrastructure.choose(null, NO_DOCKER).kind());
        assertEquals(
                TestInfrastructure.Kind.CONTAINERS,
                TestInfrastructure.choose(" Auto ", DOCKER).kind());
        assertEquals(
                TestInfrastructure.Kind.EMBEDDED,
                TestInfrastructure.choose("", NO_DOCKER).kind());
        assertTrue(TestInfrastructure.choose(null, NO_DOCKER).describe().contains("no Docker engine answers"));
        assertTrue(TestInfrastructure.choose(null, DOCKER).describe().contains("apache/kafka:4.1.2"));
    }

    @Test
    void embeddedNeverAsksDockerAndContainersRequireIt() {
        AtomicInteger asked = new AtomicInteger();
        assertEquals(
                TestInfrastructure.Kind.EMBEDDED,
                TestInfrastructure.choose("embedded", () -> {
                            asked.incrementAndGet();
                            return true;
                        })
                        .kind());
        assertEquals(0, asked.get(), "embedded does not probe for Docker");
        assertEquals(
                TestInfrastructure.Kind.CONTAINERS,
                TestInfrastructure.choose("CONTAINERS", DOCKER).kind());
        IllegalStateException none =
                assertThrows(IllegalStateException.class, () -> TestInfrastructure.choose("containers", NO_DOCKER));
        assertTrue(none.getMessage().contains("DROPSHIP_TEST_INFRA=embedded"), none.getMessage());
    }

    @Test
    void anUnknownSettingIsRefusedNamingTheChoices() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TestInfrastructure.choose("docker", DOCKER));
        assertTrue(e.getMessage().contains("auto, containers or embedded"), e.getMessage());
    }
}
