package io.dropship.gateway.webhook;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.work.PeriodicJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Stored webhook bodies carry the store's customer (name, address, email, phone): they are kept for
 * {@code dropship.webhooks.body-retention} (30 days) to debug and replay with, then emptied. A delivery still waiting
 * for its retry keeps its body until it is processed; the row itself stays, so a late redelivery is still a duplicate.
 */
@ApplicationScoped
public class WebhookRetention {

    private static final Logger LOG = Logger.getLogger(WebhookRetention.class);

    private final Mutiny.SessionFactory sessions;
    private final Vertx vertx;
    private final GatewayConfig config;
    private final io.dropship.gateway.privacy.PrivacyRequests privacy;
    private volatile PeriodicJob job;

    public WebhookRetention(
            Mutiny.SessionFactory sessions,
            Vertx vertx,
            GatewayConfig config,
            io.dropship.gateway.privacy.PrivacyRequests privacy) {
        this.sessions = sessions;
        this.vertx = vertx;
        this.config = config;
        this.privacy = privacy;
    }

    void start(@Observes StartupEvent event) {
        job = PeriodicJob.start(
                vertx.getDelegate(), config.webhooks().retentionEvery(), "webhook body retention", this::purge);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }

    /** Empties the bodies past their retention, and deletes privacy exports past theirs; answers how many. */
    public Uni<Integer> purge() {
        return bodies().chain(
                        n -> sessions.withTransaction(privacy::purgeExports).map(m -> n + m));
    }

    private Uni<Integer> bodies() {
        OffsetDateTime before =
                OffsetDateTime.now(ZoneOffset.UTC).minus(config.webhooks().bodyRetention());
        return sessions.withTransaction(s -> s.createNativeQuery("update webhook_delivery set body = '{}'::jsonb"
                                + " where received_at < :before and outcome <> 'PENDING' and body <> '{}'::jsonb")
                        .setParameter("before", before)
                        .executeUpdate())
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof(
                                "emptied %d webhook bodies older than %s",
                                n, config.webhooks().bodyRetention());
                    }
                });
    }
}
