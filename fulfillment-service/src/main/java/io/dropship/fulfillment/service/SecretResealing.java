package io.dropship.fulfillment.service;

import io.dropship.platform.web.SealedSecrets;
import io.dropship.platform.work.PeriodicJob;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Callback signing secrets at rest: seals the plain ones left from before secrets were sealed, at start, and after a
 * key rotation seals every secret again under the current key (at start and every {@code dropship.crypto.reseal-every}).
 */
@ApplicationScoped
public class SecretResealing {

    private static final Logger LOG = Logger.getLogger(SecretResealing.class);
    public static final SealedSecrets.Table CALLBACKS =
            new SealedSecrets.Table("supplier_callback", "supplier_id", List.of("signing_secret_sealed"));

    private final SealedSecrets secrets;
    private final Mutiny.SessionFactory sessions;
    private final Vertx vertx;
    private final Duration every;
    private volatile PeriodicJob job;

    public SecretResealing(
            SealedSecrets secrets,
            Mutiny.SessionFactory sessions,
            Vertx vertx,
            @ConfigProperty(name = "dropship.crypto.reseal-every", defaultValue = "PT1H") Duration every) {
        this.secrets = secrets;
        this.sessions = sessions;
        this.vertx = vertx;
        this.every = every;
    }

    void start(@Observes StartupEvent event) {
        job = secrets.resealEvery(vertx, every, sessions, CALLBACKS);
        vertx.getDelegate()
                .setTimer(
                        1000,
                        id -> io.dropship.platform.work.OwnContext.run(vertx.getDelegate(), this::sealPlain)
                                .subscribe()
                                .with(
                                        n -> {},
                                        e -> LOG.warnf(
                                                e, "sealing plain callback secrets failed; tried at the next start")));
    }

    /** Seals the secrets still stored in plain text; answers how many. */
    public Uni<Integer> sealPlain() {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "select supplier_id, signing_secret from supplier_callback"
                                        + " where signing_secret is not null for update skip locked",
                                Object[].class)
                        .getResultList()
                        .chain(rows -> Multi.createFrom()
                                .iterable(rows)
                                .onItem()
                                .transformToUniAndConcatenate(r -> s.createNativeQuery(
                                                "update supplier_callback set signing_secret_sealed = :sealed, signing_secret = null"
                                                        + " where supplier_id = :id")
                                        .setParameter("sealed", secrets.box().seal((String) r[1]))
                                        .setParameter("id", r[0])
                                        .executeUpdate())
                                .collect()
                                .asList()
                                .map(List::size)))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("sealed %d plain callback signing secret(s)", n);
                    }
                });
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
    }
}
