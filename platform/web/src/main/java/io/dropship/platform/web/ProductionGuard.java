package io.dropship.platform.web;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * A production start (the prod profile, which a packaged service runs in unless told otherwise) refuses to run with a
 * secret that is missing or is one of the values this repository uses for development and tests, with development
 * tokens on, or with a private key in a file that others than its owner can read. Every service needs
 * {@code dropship.production.secrets} (the database password and the token verification key, set for all in
 * platform/web), each adds its own in {@code dropship.production.service-secrets} ({@code a|b}: one of them), and its
 * private key files in {@code dropship.production.private-key-files}. The local fleet runs in its own profile,
 * {@code fleet}.
 */
@ApplicationScoped
public class ProductionGuard {

    private static final Logger LOG = Logger.getLogger(ProductionGuard.class);

    /** Every secret value written in this repository, for development, the local fleet and tests. */
    static final Set<String> REPOSITORY_VALUES = Set.of(
            "postgres", "sk_test_local_fleet", "whsec_local_fleet", "whsec_settlement_tests", "changeme", "secret");

    private final EdgeConfig.Production production;

    public ProductionGuard(EdgeConfig.Production production) {
        this.production = production;
    }

    void check(@Observes @Priority(1) StartupEvent event) {
        if (LaunchMode.current() != LaunchMode.NORMAL
                || !ConfigUtils.getProfiles().contains("prod")) {
            return;
        }
        Config config = ConfigProvider.getConfig();
        List<String> secrets = new ArrayList<>(production.secrets().orElse(List.of()));
        secrets.addAll(production.serviceSecrets().orElse(List.of()));
        List<String> problems = problems(
                name -> config.getOptionalValue(name, String.class),
                secrets,
                production.privateKeyFiles().orElse(List.of()));
        if (!problems.isEmpty()) {
            String message = "refusing to start in production: " + String.join("; ", problems)
                    + " (README: Running in production)";
            LOG.error(message);
            throw new IllegalStateException(message);
        }
    }

    /** What is wrong with this configuration for production; empty when nothing is. */
    static List<String> problems(
            Function<String, Optional<String>> config, List<String> secrets, List<String> keyFiles) {
        List<String> problems = new ArrayList<>();
        if (config.apply("dropship.dev-tokens.enabled")
                .map(Boolean::parseBoolean)
                .orElse(false)) {
            problems.add("dropship.dev-tokens.enabled is true (anyone could mint a token)");
        }
        for (String secret : secrets) {
            List<String> names = List.of(secret.split("\\|"));
            Optional<String> value = names.stream()
                    .map(config)
                    .flatMap(Optional::stream)
                    .filter(v -> !v.isBlank())
                    .findFirst();
            if (value.isEmpty()) {
                problems.add(String.join(" or ", names) + " is not set");
            } else if (REPOSITORY_VALUES.contains(value.get().strip())) {
                problems.add(String.join(" or ", names) + " has a value from the repository");
            }
        }
        for (String property : keyFiles) {
            config.apply(property)
                    .filter(v -> !v.isBlank() && !v.startsWith("classpath:"))
                    .ifPresent(location -> {
                        String problem = ownerOnly(Path.of(location.replaceFirst("^file:", "")));
                        if (problem != null) {
                            problems.add(property + ": " + problem);
                        }
                    });
        }
        return problems;
    }

    /**
     * Null if only the file's owner may read it; else why not. A file system without POSIX permissions (the services
     * run on Linux; a Windows developer's disk has ACLs instead) has nothing this check can read: it passes there.
     */
    static String ownerOnly(Path file) {
        try {
            if (!Files.getFileStore(file)
                    .supportsFileAttributeView(java.nio.file.attribute.PosixFileAttributeView.class)) {
                return null;
            }
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.GROUP_READ)
                    || perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.GROUP_WRITE)
                    || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
                return file + " is readable or writable by others than its owner (chmod 600 it)";
            }
            return null;
        } catch (IOException e) {
            return file + " cannot be read: " + e.getMessage();
        }
    }
}
