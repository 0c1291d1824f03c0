package io.dropship.platform.outbox.testapp;

import io.dropship.platform.outbox.BatchHandlers;
import io.dropship.platform.outbox.DeadLetters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * One consumer for two batch handlers, as order-service's projections share one: {@code fan-all} reads FanA and FanB,
 * {@code fan-b} FanB only and fails a batch that holds a record saying "fail". Each writes the records it got as
 * lane_step rows (topic: handler and topic), a batch in one transaction that overlaps the other handler's.
 */
@ApplicationScoped
public class FanConsumer {

    private final BatchHandlers handlers;
    private final Mutiny.SessionFactory sessions;

    public FanConsumer(Mutiny.SessionFactory sessions, io.vertx.core.Vertx vertx, DeadLetters deadLetters) {
        this.sessions = sessions;
        this.handlers = BatchHandlers.of(
                "fan",
                Map.of("fan-all", r -> write("fan-all", r), "fan-b", r -> write("fan-b", r)),
                vertx,
                deadLetters);
    }

    @Incoming("fan")
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        return handlers.apply(records);
    }

    private Uni<Void> write(String handler, ConsumerRecords<String, String> records) {
        List<ConsumerRecord<String, String>> batch = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            if (handler.equals("fan-b") && r.value().contains("fail")) {
                return Uni.createFrom().failure(new IllegalStateException("fan-b cannot take " + r.value()));
            }
            batch.add(r);
        }
        return sessions.withTransaction(s -> {
            // A wait in the database first, so that the two handlers' transactions overlap.
            Uni<Void> chain = s.createNativeQuery("select pg_sleep(0.05)")
                    .getSingleResult()
                    .replaceWithVoid();
            for (ConsumerRecord<String, String> r : batch) {
                chain = chain.chain(() -> s.createNativeQuery(
                                "insert into lane_step (topic, key, seq) values (:t, :k, :s)")
                        .setParameter("t", handler + ":" + r.topic())
                        .setParameter("k", r.key())
                        .setParameter("s", Integer.parseInt(r.value().replaceAll("\\D", "")))
                        .executeUpdate()
                        .replaceWithVoid());
            }
            return chain;
        });
    }
}
