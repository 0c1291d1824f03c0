package io.dropship.platform.outbox.testapp;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Notes when each record was processed; a record whose key a test holds is processed when the test lets it go. */
@ApplicationScoped
public class CommitProbeConsumer {

    /** System.nanoTime() at which each key's record was processed. */
    public static final Map<String, Long> PROCESSED_AT = new ConcurrentHashMap<>();

    /** Keys whose records stay in process until the test completes their future. */
    public static final Map<String, CompletableFuture<Void>> HELD = new ConcurrentHashMap<>();

    @Incoming("commit-probe")
    public Uni<Void> on(ConsumerRecord<String, String> record) {
        CompletableFuture<Void> held = HELD.get(record.key());
        Uni<Void> processing =
                held == null ? Uni.createFrom().voidItem() : Uni.createFrom().completionStage(held);
        return processing.invoke(() -> PROCESSED_AT.put(record.key(), System.nanoTime()));
    }
}
