package io.dropship.platform.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Each Kafka consumer's largest lag in records ({@code kafka_consumer_fetch_manager_records_lag_max{client_id}}), the
 * one client metric the alerts and the dashboard use, read from the consumer when it is scraped. Quarkus' Kafka binder
 * (turned off) bound every client metric of every consumer and producer, hundreds per client, and gave each client a
 * thread of its own that re-read them every minute: 39 threads and 5,000 meters in order-service.
 */
@ApplicationScoped
public class KafkaConsumerLag {

    static final String METER = "kafka.consumer.fetch.manager.records.lag.max";

    private final MeterRegistry meters;
    private final Map<String, Consumer<?, ?>> consumers = new ConcurrentHashMap<>();

    public KafkaConsumerLag(MeterRegistry meters) {
        this.meters = meters;
    }

    void created(@Observes Consumer<?, ?> consumer) {
        String clientId = clientId(consumer);
        if (clientId != null && consumers.put(clientId, consumer) == null) {
            Gauge.builder(METER, consumers, all -> lagMax(all.get(clientId)))
                    .tag("client.id", clientId)
                    .description("The largest lag in records of any partition the consumer reads")
                    .register(meters);
        }
    }

    static double lagMax(Consumer<?, ?> consumer) {
        if (consumer != null) {
            for (Map.Entry<MetricName, ? extends Metric> m : consumer.metrics().entrySet()) {
                MetricName n = m.getKey();
                if (n.name().equals("records-lag-max")
                        && n.group().equals("consumer-fetch-manager-metrics")
                        && !n.tags().containsKey("topic")
                        && m.getValue().metricValue() instanceof Number value) {
                    return value.doubleValue();
                }
            }
        }
        return Double.NaN;
    }

    private static String clientId(Consumer<?, ?> consumer) {
        for (MetricName n : consumer.metrics().keySet()) {
            String id = n.tags().get("client-id");
            if (id != null) {
                return id;
            }
        }
        return null;
    }
}
