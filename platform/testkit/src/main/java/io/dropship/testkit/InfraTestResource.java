package io.dropship.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * Points a Quarkus application under test at the shared real Kafka broker and PostgreSQL server, with a
 * database of its own (init arg {@code database}, default {@code app}) and the test JWT keys.
 *
 * <pre>{@code @QuarkusTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))}</pre>
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    private String database = "app";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        SharedInfrastructure infra = SharedInfrastructure.get();
        try {
            infra.postgres().ensureDatabase(database);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + database, e);
        }
        return configFor(infra, database);
    }

    /** The configuration that points a service at the shared infrastructure; also used by fleet tests. */
    public static Map<String, String> configFor(SharedInfrastructure infra, String database) {
        Map<String, String> config = new HashMap<>();
        config.put("kafka.bootstrap.servers", infra.kafka().bootstrapServers());
        config.put("quarkus.datasource.reactive.url", infra.postgres().reactiveUrl(database));
        config.put("quarkus.datasource.jdbc.url", infra.postgres().jdbcUrl(database));
        config.put("quarkus.datasource.username", infra.postgres().user());
        config.put("quarkus.datasource.password", infra.postgres().password());
        config.put("quarkus.devservices.enabled", "false");
        config.putAll(TestTokens.serviceConfig());
        config.put("dropship.crypto.key", TestTokens.CRYPTO_KEY);
        return config;
    }

    @Override
    public void stop() {
        // The broker and server outlive this application: the next test class reuses them.
    }
}
