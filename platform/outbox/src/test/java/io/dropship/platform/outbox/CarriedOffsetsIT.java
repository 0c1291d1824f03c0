package io.dropship.platform.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dropship.testkit.InfraTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A group that takes over a topic from the group it had of its own (a service's per-order channel) starts on each
 * partition where that group stopped, not at the start of the topic; a partition the earlier group never committed
 * starts as auto.offset.reset says; once the new group has committed, its own offsets count.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
class CarriedOffsetsIT {

    @Inject
    @io.smallrye.common.annotation.Identifier(CarriedOffsets.NAME)
    CarriedOffsets carried;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private static final String TOPIC = "Carried";
    private static final TopicPartition ZERO = new TopicPartition(TOPIC, 0);
    private static final TopicPartition ONE = new TopicPartition(TOPIC, 1);

    private KafkaConsumer<String, String> consumer(String group) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    /** The first offset the new group reads on each partition, with the listener as SmallRye calls it. */
    private Map<Integer, Long> firstOffsetsOfTheNewGroup() {
        return firstOffsets("outbox-test.takes-over", TOPIC);
    }

    private Map<Integer, Long> firstOffsets(String group, String topic) {
        TopicPartition zero = new TopicPartition(topic, 0);
        TopicPartition one = new TopicPartition(topic, 1);
        Map<Integer, Long> first = new TreeMap<>();
        try (KafkaConsumer<String, String> c = consumer(group)) {
            c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    carried.onPartitionsAssigned(c, partitions);
                }
            });
            long until = System.currentTimeMillis() + 60_000;
            while (first.size() < 2 && System.currentTimeMillis() < until) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    first.putIfAbsent(r.partition(), r.offset());
                }
            }
            // Read up to 8 on partition 0 and 3 on partition 1: the new group's own offsets from now on.
            c.commitSync(Map.of(zero, new OffsetAndMetadata(8), one, new OffsetAndMetadata(3)));
        }
        return first;
    }

    private void twoPartitionsOfTen(String topic) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k", "zero-" + i)).get();
                producer.send(new ProducerRecord<>(topic, 1, "k", "one-" + i)).get();
            }
        }
    }

    private void committed(String group, Map<TopicPartition, OffsetAndMetadata> offsets) {
        try (KafkaConsumer<String, String> earlier = consumer(group)) {
            earlier.assign(offsets.keySet());
            earlier.commitSync(offsets);
        }
    }

    /**
     * A group that takes over groups named in {@code dropship.carried-offsets.<group>} (order-service's projections,
     * from four groups that read overlapping topics) starts on each partition at the lowest offset those groups
     * committed: the handlers further on see again what their inboxes recognise, and nothing is passed over.
     */
    @Test
    void theNewGroupStartsWhereTheFurthestBehindOfTheNamedGroupsStopped() throws Exception {
        String topic = "CarriedTwo";
        twoPartitionsOfTen(topic);
        TopicPartition zero = new TopicPartition(topic, 0);
        TopicPartition one = new TopicPartition(topic, 1);
        committed("outbox-test.earlier-a", Map.of(zero, new OffsetAndMetadata(6), one, new OffsetAndMetadata(2)));
        committed("outbox-test.earlier-b", Map.of(zero, new OffsetAndMetadata(4)));
        // A group of the topic's own name is not one of those named: it does not count.
        committed(CarriedOffsets.earlierGroup("outbox-test", topic), Map.of(zero, new OffsetAndMetadata(1)));

        assertEquals(
                Map.of(0, 4L, 1, 2L),
                firstOffsets("outbox-test.takes-over-two", topic),
                "partition 0 where earlier-b stopped (behind earlier-a), partition 1 where earlier-a did");
    }

    @Test
    void theNewGroupStartsWhereTheTopicsEarlierGroupStoppedThenWhereItselfDid() throws Exception {
        twoPartitionsOfTen(TOPIC);
        // The topic's own group (outbox-test.carried, as a channel of its own named it) had applied partition 0 up to
        // offset 6 and never committed partition 1.
        try (KafkaConsumer<String, String> earlier = consumer("outbox-test.carried")) {
            earlier.assign(List.of(ZERO));
            earlier.commitSync(Map.of(ZERO, new OffsetAndMetadata(6)));
        }

        assertEquals(
                Map.of(0, 6L, 1, 0L),
                firstOffsetsOfTheNewGroup(),
                "first read: partition 0 where the earlier"
                        + " group stopped, partition 1 from the start (auto.offset.reset)");
        assertEquals(Map.of(0, 8L, 1, 3L), firstOffsetsOfTheNewGroup(), "then where the new group committed");
        assertEquals("order-service.order-placed", CarriedOffsets.earlierGroup("order-service", "OrderPlaced"));
        assertEquals(
                "inventory-service.supplier-order-routed",
                CarriedOffsets.earlierGroup("inventory-service", "SupplierOrderRouted"));
    }
}
