package io.dropship.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "dropship")
public interface GatewayConfig {

    DevTokens devTokens();

    Crypto crypto();

    interface Crypto {
        /** 32 random bytes, base64: the AES-256-GCM key for store secrets at rest. No default: set it per environment. */
        String key();
    }

    interface DevTokens {
        /** Issue tokens for any role without a credential. Only for the local fleet and demos. */
        @WithDefault("false")
        boolean enabled();
    }
}
