package io.dropship.gateway.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropship.gateway.stock.StockTargets;
import io.dropship.platform.outbox.Failures;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Supplier stock, as inventory-service publishes it, taken in a poll's worth at a time: within a batch only the
 * newest change of each supplier product counts (the first coalescing), and one statement keeps them and re-targets
 * the listings behind them. Keeping stock is idempotent and an older change never overwrites a newer one, so a
 * redelivered batch changes nothing. A record that is not a StockChanged is logged and skipped; a database outage
 * holds the batch until the database is back, so the projection never skips a change.
 */
@ApplicationScoped
public class StockChangedConsumer {

    private static final Logger LOG = Logger.getLogger(StockChangedConsumer.class);

    private final StockTargets stockTargets;
    private final ObjectMapper mapper;

    public StockChangedConsumer(StockTargets stockTargets, ObjectMapper mapper) {
        this.stockTargets = stockTargets;
        this.mapper = mapper;
    }

    @Incoming("stock-changed")
    public Uni<Void> on(ConsumerRecords<String, String> records) {
        Map<String, StockTargets.SupplierStock> newest = new LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            StockTargets.SupplierStock s = parse(r);
            if (s != null) {
                newest.merge(s.supplierProductId(), s, (a, b) -> b.changedAt().isBefore(a.changedAt()) ? a : b);
            }
        }
        // A database outage is waited out however long it lasts (the batch is valid); any other failure is retried a
        // few times before the batch is failed.
        return stockTargets
                .supplierStock(new ArrayList<>(newest.values()))
                .onFailure()
                .invoke(e -> LOG.warnf(
                        "StockChanged batch of %d products failed, retried (%s): %s",
                        newest.size(), Failures.classify(e), e.toString()))
                .onFailure(e -> Failures.classify(e) == Failures.Kind.TRANSIENT)
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(30))
                .indefinitely()
                .onFailure()
                .retry()
                .withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10))
                .atMost(3)
                .replaceWithVoid();
    }

    private StockTargets.SupplierStock parse(ConsumerRecord<String, String> r) {
        try {
            JsonNode e = mapper.readTree(r.value());
            String id = e.path("supplierProductId").asText(null);
            if (id == null || !e.path("available").canConvertToInt() || !e.hasNonNull("changedAt")) {
                throw new IllegalArgumentException("no supplierProductId, available or changedAt");
            }
            int available = Math.max(0, e.path("available").asInt());
            // Events from before the supplier policy existed carry no share: the platform's default applies.
            int percent = e.path("showPercent").canConvertToInt()
                    ? e.path("showPercent").asInt()
                    : 90;
            int shown = e.path("shown").canConvertToInt()
                    ? e.path("shown").asInt()
                    : (int) ((long) available * percent / 100);
            return new StockTargets.SupplierStock(
                    id,
                    available,
                    shown,
                    percent,
                    e.path("lowStock").asBoolean(false),
                    Instant.parse(e.path("changedAt").asText()));
        } catch (Exception x) {
            LOG.warnf(
                    "StockChanged at %s-%d offset %d skipped: %s",
                    r.topic(), r.partition(), r.offset(), x.getMessage());
            return null;
        }
    }
}
