package io.dropship.gateway.accounts;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.work.PeriodicJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;

/**
 * A new installation has no admin, and only admins invite staff: with {@code dropship.accounts.first-admin} set, an
 * invitation to become ADMIN is mailed to that address soon after start, and again every hour while no admin exists and
 * no invitation is waiting. An invitation still waiting from before this start is sent again (a new one, the old one
 * withdrawn): its mail may be lost (a local mail server's, a first start cut short). No password is ever configured.
 */
@ApplicationScoped
public class FirstAdmin {

    private final GatewayConfig config;
    private final Invitations invitations;
    private final Vertx vertx;
    private volatile PeriodicJob job;

    public FirstAdmin(GatewayConfig config, Invitations invitations, Vertx vertx) {
        this.config = config;
        this.invitations = invitations;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        Instant started = Instant.now();
        config.accounts()
                .firstAdmin()
                .filter(e -> !e.isBlank())
                .ifPresent(email -> job = PeriodicJob.start(
                        vertx.getDelegate(),
                        Duration.ofSeconds(5),
                        Duration.ofHours(1),
                        "first admin invitation",
                        () -> invitations.inviteFirstAdmin(email, started)));
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }
}
