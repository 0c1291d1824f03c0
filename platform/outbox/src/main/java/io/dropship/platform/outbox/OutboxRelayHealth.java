package io.dropship.platform.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when this instance relays, or stands by while another instance relays. */
@Readiness
@ApplicationScoped
public class OutboxRelayHealth implements HealthCheck {

    private final OutboxRelay relay;
    private final OutboxConfig config;

    public OutboxRelayHealth(OutboxRelay relay, OutboxConfig config) {
        this.relay = relay;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox-relay");
        if (!config.relay().enabled()) {
            return response.up()
                    .withData("state", "disabled (an external relay runs)")
                    .build();
        }
        OutboxRelay.State state = relay.state();
        response.withData("state", state.name());
        if (relay.lastError() != null) {
            response.withData("lastError", relay.lastError());
        }
        return (state == OutboxRelay.State.RUNNING || state == OutboxRelay.State.STANDBY)
                ? response.up().build()
                : response.down().build();
    }
}
