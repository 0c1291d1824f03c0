package io.dropship.testkit;

import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Where the tests' Kafka broker and PostgreSQL server come from: Testcontainers' Kafka and PostgreSQL modules where a
 * Docker engine answers (a laptop, a CI with Docker), the embedded ones from Maven artifacts otherwise (here).
 * {@code DROPSHIP_TEST_INFRA} (or {@code -Ddropship.test.infra}) decides: {@code auto} (the default) asks Docker,
 * {@code containers} requires it, {@code embedded} never asks. The choice is printed when the first test starts.
 */
public final class TestInfrastructure {

    public enum Kind {
        CONTAINERS,
        EMBEDDED
    }

    /** What was chosen and why, for the test run's output. */
    public record Choice(Kind kind, String why) {
        public String describe() {
            return "test infrastructure: "
                    + (kind == Kind.CONTAINERS
                            ? "Kafka (apache/kafka:" + Images.KAFKA_VERSION + ") and PostgreSQL (postgres:"
                                    + Images.POSTGRES_VERSION + ") in Docker containers (Testcontainers)"
                            : "embedded Kafka and PostgreSQL from Maven artifacts")
                    + ": " + why;
        }
    }

    /** The images the containers run: the same versions as the embedded path and the local fleet. */
    public static final class Images {
        public static final String KAFKA_VERSION = "4.1.2";
        public static final String POSTGRES_VERSION = "17";

        private Images() {}
    }

    private TestInfrastructure() {}

    /** The setting, from the system property or the environment; null when neither says. */
    static String setting() {
        String property = System.getProperty("dropship.test.infra");
        return property != null && !property.isBlank() ? property : System.getenv("DROPSHIP_TEST_INFRA");
    }

    /**
     * The choice for a setting ({@code auto}, {@code containers}, {@code embedded}, or null for auto) and a probe that
     * says whether a Docker engine answers; the probe is asked only when the setting leaves it open. An unknown
     * setting, or {@code containers} without Docker, is an error that says what to do.
     */
    public static Choice choose(String setting, BooleanSupplier dockerAnswers) {
        String s =
                setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "embedded" -> new Choice(Kind.EMBEDDED, "DROPSHIP_TEST_INFRA=embedded");
            case "containers" -> {
                if (!dockerAnswers.getAsBoolean()) {
                    throw new IllegalStateException("DROPSHIP_TEST_INFRA=containers, but no Docker engine answers:"
                            + " start one, or run with DROPSHIP_TEST_INFRA=embedded");
                }
                yield new Choice(Kind.CONTAINERS, "DROPSHIP_TEST_INFRA=containers");
            }
            case "auto" ->
                dockerAnswers.getAsBoolean()
                        ? new Choice(
                                Kind.CONTAINERS,
                                "a Docker engine answers (DROPSHIP_TEST_INFRA=embedded to use the embedded ones)")
                        : new Choice(
                                Kind.EMBEDDED,
                                "no Docker engine answers (DROPSHIP_TEST_INFRA=containers to require one)");
            default ->
                throw new IllegalArgumentException(
                        "DROPSHIP_TEST_INFRA is '" + setting + "': it is auto, containers or embedded");
        };
    }

    /**
     * Whether a Docker engine answers, as Testcontainers finds one. Testcontainers is asked only where an engine could
     * be (DOCKER_HOST, a Docker socket, its own configuration file), so a machine without one is not told at length.
     */
    static boolean dockerAnswers() {
        String home = System.getProperty("user.home", "");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        boolean somewhere = System.getenv("DOCKER_HOST") != null
                || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".docker", "run", "docker.sock"))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".docker", "desktop", "docker.sock"))
                || (runtime != null && java.nio.file.Files.exists(java.nio.file.Path.of(runtime, "docker.sock")))
                || java.nio.file.Files.exists(java.nio.file.Path.of(home, ".testcontainers.properties"));
        if (!somewhere) {
            return false;
        }
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
