package io.dropship.platform.web;

import io.dropship.platform.work.PeriodicJob;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * The service's {@link SecretBox}, from {@code dropship.crypto.key} (the key that seals, {@code id:base64}) and
 * {@code dropship.crypto.previous-keys} (keys that only open), and the pass that seals stored values again under the
 * current key after a rotation, a batch of rows at a time, so that an old key can be dropped once no value needs it.
 */
@ApplicationScoped
public class SealedSecrets {

    private static final Logger LOG = Logger.getLogger(SealedSecrets.class);
    private static final int BATCH = 100;

    /** A table holding sealed values: its key column (text or uuid) and its bytea columns of sealed secrets. */
    public record Table(String name, String idColumn, List<String> sealedColumns) {}

    private final Optional<String> key;
    private final Optional<String> previousKeys;
    private volatile SecretBox box;

    public SealedSecrets(
            @ConfigProperty(name = "dropship.crypto.key") Optional<String> key,
            @ConfigProperty(name = "dropship.crypto.previous-keys") Optional<String> previousKeys) {
        this.key = key;
        this.previousKeys = previousKeys;
    }

    public SecretBox box() {
        if (box == null) {
            box = new SecretBox(
                    key.orElseThrow(() -> new IllegalStateException(
                            "dropship.crypto.key is not set: tenant secrets cannot be sealed or opened")),
                    previousKeys.orElse(null));
        }
        return box;
    }

    /** Starts the resealing pass: a few seconds after start, then every {@code every}. */
    public PeriodicJob resealEvery(Vertx vertx, Duration every, Mutiny.SessionFactory sessions, Table table) {
        vertx.getDelegate()
                .setTimer(
                        3000,
                        id -> io.dropship.platform.work.OwnContext.run(
                                        vertx.getDelegate(), () -> reseal(sessions, table))
                                .subscribe()
                                .with(
                                        n -> {},
                                        e -> LOG.warnf(
                                                e, "resealing %s failed; it is tried again later", table.name())));
        return PeriodicJob.start(
                vertx.getDelegate(), every, "resealing " + table.name(), () -> reseal(sessions, table));
    }

    /** Seals again every value of the table not sealed under the current key; answers how many rows changed. */
    public Uni<Long> reseal(Mutiny.SessionFactory sessions, Table table) {
        AtomicLong changed = new AtomicLong();
        return batch(sessions, table, null, changed).replaceWith(changed::get).invoke(n -> {
            if (n > 0) {
                LOG.infof("sealed %d row(s) of %s again under key %s", n, table.name(), box().currentKeyId());
            }
        });
    }

    private Uni<Void> batch(Mutiny.SessionFactory sessions, Table table, String after, AtomicLong changed) {
        String columns = String.join(", ", table.sealedColumns());
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "select cast(" + table.idColumn() + " as text), " + columns
                                        + " from " + table.name() + " where cast(:after as text) is null or cast("
                                        + table.idColumn()
                                        + " as text) > :after order by cast(" + table.idColumn() + " as text) limit "
                                        + BATCH
                                        + " for update skip locked",
                                Object[].class)
                        .setParameter("after", after)
                        .getResultList()
                        .chain(rows -> Multi.createFrom()
                                .iterable(rows)
                                .onItem()
                                .transformToUniAndConcatenate(r -> {
                                    java.util.Map<String, byte[]> resealed = new java.util.LinkedHashMap<>();
                                    for (int i = 0; i < table.sealedColumns().size(); i++) {
                                        byte[] value = (byte[]) r[i + 1];
                                        if (value != null && !box().isCurrent(value)) {
                                            resealed.put(table.sealedColumns().get(i), box().reseal(value));
                                        }
                                    }
                                    if (resealed.isEmpty()) {
                                        return Uni.createFrom().voidItem();
                                    }
                                    StringBuilder set = new StringBuilder();
                                    resealed.keySet()
                                            .forEach(c -> set.append(set.length() == 0 ? "" : ", ")
                                                    .append(c)
                                                    .append(" = :")
                                                    .append(c));
                                    var update = s.createNativeQuery("update " + table.name() + " set " + set
                                                    + " where cast(" + table.idColumn() + " as text) = :id")
                                            .setParameter("id", r[0]);
                                    resealed.forEach(update::setParameter);
                                    return update.executeUpdate()
                                            .invoke(changed::addAndGet)
                                            .replaceWithVoid();
                                })
                                .collect()
                                .last()
                                .replaceWith(rows)))
                .chain(rows -> rows.size() < BATCH
                        ? Uni.createFrom().voidItem()
                        : batch(sessions, table, (String) rows.get(rows.size() - 1)[0], changed));
    }
}
