package io.dropship.platform.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductionGuardTests {

    private static List<String> problems(Map<String, String> config, List<String> secrets, List<String> keyFiles) {
        return ProductionGuard.problems(name -> Optional.ofNullable(config.get(name)), secrets, keyFiles);
    }

    @Test
    void aMissingSecretOrOneFromTheRepositoryIsRefused() {
        List<String> p = problems(
                Map.of("quarkus.datasource.password", "postgres"),
                List.of("quarkus.datasource.password", "dropship.stripe.webhook-secret"),
                List.of());
        assertEquals(2, p.size(), p.toString());
        assertTrue(p.get(0).contains("quarkus.datasource.password has a value from the repository"));
        assertTrue(p.get(1).contains("dropship.stripe.webhook-secret is not set"));
    }

    @Test
    void oneOfTwoWaysToGiveAKeyIsEnough() {
        assertEquals(
                List.of(),
                problems(
                        Map.of("mp.jwt.verify.publickey.location", "/etc/keys/public.pem"),
                        List.of("mp.jwt.verify.publickey|mp.jwt.verify.publickey.location"),
                        List.of()));
        assertEquals(
                1,
                problems(Map.of(), List.of("mp.jwt.verify.publickey|mp.jwt.verify.publickey.location"), List.of())
                        .size());
    }

    @Test
    void developmentTokensOnAreRefused() {
        assertTrue(problems(Map.of("dropship.dev-tokens.enabled", "true"), List.of(), List.of())
                .get(0)
                .contains("dev-tokens"));
        assertEquals(List.of(), problems(Map.of("dropship.dev-tokens.enabled", "false"), List.of(), List.of()));
    }

    @Test
    void aPrivateKeyFileOthersCanReadIsRefused(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("private.pem"), "-----BEGIN PRIVATE KEY-----");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        List<String> p = problems(
                Map.of("smallrye.jwt.sign.key.location", key.toString()),
                List.of(),
                List.of("smallrye.jwt.sign.key.location"));
        assertEquals(1, p.size());
        assertTrue(p.get(0).contains("chmod 600"), p.get(0));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertEquals(
                List.of(),
                problems(
                        Map.of("smallrye.jwt.sign.key.location", key.toString()),
                        List.of(),
                        List.of("smallrye.jwt.sign.key.location")));
    }
}
