package io.dropship.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "dropship")
public interface GatewayConfig {

    DevTokens devTokens();

    interface DevTokens {
        /** Issue tokens for any role without a credential. Only for the local fleet and demos. */
        @WithDefault("false")
        boolean enabled();
    }
}
