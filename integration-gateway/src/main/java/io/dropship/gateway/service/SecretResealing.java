package io.dropship.gateway.service;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.web.SealedSecrets;
import io.dropship.platform.work.PeriodicJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * After a key rotation ({@code dropship.crypto.key} moved to a new id, the old one kept in
 * {@code dropship.crypto.previous-keys}), seals every store's webhook secret and API token again under the new key, at
 * start and every {@code dropship.crypto.reseal-every}; once the log says nothing is left, the old key can go.
 */
@ApplicationScoped
public class SecretResealing {

    public static final SealedSecrets.Table STORES =
            new SealedSecrets.Table("store_connection", "id", List.of("webhook_secret", "api_token"));

    private final SealedSecrets secrets;
    private final Mutiny.SessionFactory sessions;
    private final Vertx vertx;
    private final GatewayConfig config;
    private volatile PeriodicJob job;

    public SecretResealing(SealedSecrets secrets, Mutiny.SessionFactory sessions, Vertx vertx, GatewayConfig config) {
        this.secrets = secrets;
        this.sessions = sessions;
        this.vertx = vertx;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        job = secrets.resealEvery(vertx, config.crypto().resealEvery(), sessions, STORES);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }
}
