package io.dropship.settlement.stripe;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The service's own configuration as a production start reads it: the Stripe secret key and webhook secret have no
 * value there, so a start that forgets them fails instead of trusting a secret anyone can read in the repository.
 */
class ProductionSecretsTests {

    @Test
    void stripeSecretsHaveNoDefaultInProduction() throws Exception {
        SmallRyeConfig prod = new SmallRyeConfigBuilder()
                .withProfile("prod")
                .withSources(new PropertiesConfigSource(
                        Path.of("src/main/resources/application.properties")
                                .toUri()
                                .toURL(),
                        250))
                .build();
        for (String secret : new String[] {"dropship.stripe.secret-key", "dropship.stripe.webhook-secret"}) {
            assertTrue(
                    prod.getOptionalValue(secret, String.class).isEmpty(), secret + " must come from the environment");
        }
        SmallRyeConfig dev = new SmallRyeConfigBuilder()
                .withProfile("dev")
                .withSources(new PropertiesConfigSource(
                        Path.of("src/main/resources/application.properties")
                                .toUri()
                                .toURL(),
                        250))
                .build();
        assertTrue(
                dev.getOptionalValue("dropship.stripe.secret-key", String.class).isPresent(),
                "dev mode keeps its local key");
    }
}
