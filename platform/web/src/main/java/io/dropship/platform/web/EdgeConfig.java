package io.dropship.platform.web;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

/** Settings every service shares at its edge: request rate limits, and what a production start requires. */
public final class EdgeConfig {

    private EdgeConfig() {}

    /** Requests per retailer, supplier or staff user (tenant) and per client address without a token (anonymous). */
    @ConfigMapping(prefix = "dropship.rate-limit")
    public interface RateLimit {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("30")
        int tenantPerSecond();

        @WithDefault("150")
        int tenantBurst();

        @WithDefault("50")
        int anonymousPerSecond();

        @WithDefault("200")
        int anonymousBurst();
    }

    /** Request bodies (BodyLimits). */
    @ConfigMapping(prefix = "dropship.http")
    public interface Http {
        /** The largest body of any request but those to a streamed path. */
        @WithDefault("1048576")
        long jsonBodyLimit();

        /**
         * Paths (prefixes) whose bodies are streamed files, bounded by quarkus.http.limits.max-body-size instead: that
         * must then be raised, and the endpoint must stream.
         */
        Optional<List<String>> streamedPaths();
    }

    /** What {@link ProductionGuard} checks in the prod profile. */
    @ConfigMapping(prefix = "dropship.production")
    public interface Production {
        /** Secrets every service needs ({@code a|b}: either). */
        Optional<List<String>> secrets();

        /** Secrets this service needs besides. */
        Optional<List<String>> serviceSecrets();

        /** Properties naming files with private keys: only their owner may read them. */
        Optional<List<String>> privateKeyFiles();
    }
}
