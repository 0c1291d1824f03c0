package io.dropship.testkit;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The API documents checked in under {@code contracts/openapi}: each service's own (written from its running test
 * application) and the one API merged from them. A test compares what the code makes with the checked-in file and
 * fails when they differ; with {@code -Dopenapi.write=true} it writes
 * the file instead, for the change to be reviewed and committed with the code.
 */
public final class ApiDocuments {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ApiDocuments() {}

    public static boolean writing() {
        return Boolean.getBoolean("openapi.write");
    }

    /** {@code contracts/openapi} of this checkout, found from the module a test runs in. */
    public static Path folder() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("contracts/events"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(
                    "no contracts folder above " + Path.of("").toAbsolutePath());
        }
        return dir.resolve("contracts/openapi");
    }

    public static Path serviceFile(String service) {
        return folder().resolve("services").resolve(service + ".json");
    }

    /** The document with every object's keys sorted, so that a file's diff shows only what changed. */
    public static String normalized(JsonNode document) {
        try {
            return JSON.writeValueAsString(JSON.treeToValue(document, Object.class)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
    }

    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails unless the file holds this document; in write mode, writes it. */
    public static void checkOrWrite(Path file, JsonNode document) {
        String made = normalized(document);
        try {
            String kept = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
            if (made.equals(kept)) {
                return;
            }
            if (writing()) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, made, StandardCharsets.UTF_8);
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fail(file + " is not the API the code makes: run ./mvnw verify -Dopenapi.write=true, review the" + " change to "
                + folder() + " and commit it with the code (the TypeScript client too: contracts/typescript)");
    }
}
