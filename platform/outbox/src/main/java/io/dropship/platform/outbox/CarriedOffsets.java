package io.dropship.platform.outbox;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Where a consumer group that takes over topics from groups of their own (a service's {@code per-order} channel) starts
 * reading: on each partition it has no committed offset for yet, at the offset the topic's earlier group committed,
 * named as channels were, {@code <service>.<topic in kebab case>} ({@code order-service.order-placed} for OrderPlaced).
 * Without it the new group read its topics from the start: a week of events, each skipped by the inbox but all of them
 * ahead of the next order, and every event dead-lettered that week dead-lettered again. A partition the earlier group
 * never committed (a new topic) starts as the channel's {@code auto.offset.reset} says.
 *
 * <p>A group that takes over groups named otherwise (order-service's {@code projections}, from the timeline's, the
 * analytics', the payments' and the held orders' groups) names them in {@code dropship.carried-offsets.<group>}; of
 * those that committed a partition, it starts at the lowest offset.
 *
 * <p>A channel uses it with {@code consumer-rebalance-listener.name=carried-offsets}. It runs on the channel's polling
 * thread when partitions are assigned, before anything is read from them; once the new group has committed a
 * partition, it does nothing for it.
 */
@ApplicationScoped
@Identifier(CarriedOffsets.NAME)
public class CarriedOffsets implements KafkaConsumerRebalanceListener {

    public static final String NAME = "carried-offsets";
    /** {@code dropship.carried-offsets.<group>}: the earlier groups a group takes over, where not one per topic. */
    static final String CONFIG_PREFIX = "dropship.carried-offsets.";

    private static final Logger LOG = Logger.getLogger(CarriedOffsets.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> own = consumer.committed(new HashSet<>(partitions), TIMEOUT);
        Config config = ConfigProvider.getConfig();
        String service = config.getValue("quarkus.application.name", String.class);
        String group = consumer.groupMetadata().groupId();
        List<String> named =
                config.getOptionalValues(CONFIG_PREFIX + group, String.class).orElse(List.of());
        Map<String, List<TopicPartition>> fresh = new HashMap<>();
        for (TopicPartition partition : partitions) {
            if (own.get(partition) == null) {
                List<String> earlier = named.isEmpty() ? List.of(earlierGroup(service, partition.topic())) : named;
                earlier.forEach(
                        g -> fresh.computeIfAbsent(g, x -> new ArrayList<>()).add(partition));
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        Map<String, Object> settings = new HashMap<>(OutboxRelay.kafkaSettings(config));
        settings.put(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.getValue("kafka.bootstrap.servers", String.class));
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, group + "-carried-offsets");
        try (Admin admin = Admin.create(settings)) {
            Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
            fresh.forEach(
                    (earlier, tps) -> specs.put(earlier, new ListConsumerGroupOffsetsSpec().topicPartitions(tps)));
            Map<String, Map<TopicPartition, OffsetAndMetadata>> earlierOffsets =
                    admin.listConsumerGroupOffsets(specs).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            // Of several earlier groups that read a partition, the one furthest behind: the others' handlers see
            // again what they had applied, which their inboxes recognise, and nothing is passed over.
            Map<TopicPartition, Long> start = new HashMap<>();
            Map<TopicPartition, String> from = new HashMap<>();
            earlierOffsets.forEach((earlier, offsets) -> offsets.forEach((partition, offset) -> {
                if (offset != null && (!start.containsKey(partition) || offset.offset() < start.get(partition))) {
                    start.put(partition, offset.offset());
                    from.put(partition, earlier);
                }
            }));
            start.forEach((partition, offset) -> {
                consumer.seek(partition, offset);
                LOG.infof("%s starts %s at %d, where %s stopped", group, partition, offset, from.get(partition));
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(group + " could not read the earlier groups' offsets", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // The channel fails (its readiness shows it) rather than read a week of events from the start.
            throw new IllegalStateException(group + " could not read the earlier groups' offsets: " + e, e);
        }
    }

    /** The group a topic had as a channel of its own: {@code <service>.<topic in kebab case>}. */
    static String earlierGroup(String service, String topic) {
        StringBuilder kebab = new StringBuilder();
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                kebab.append('-');
            }
            kebab.append(Character.toLowerCase(c));
        }
        return service + "." + kebab;
    }
}
