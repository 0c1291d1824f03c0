package io.dropship.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet makes the cluster's topics, every one of topics.yaml with its partitions, before its services start. */
class FleetTopicsTests {

    private static final Path TOPICS = Path.of("..").resolve("deploy/k8s/base/kafka/topics.yaml");

    @Test
    void everyKafkaTopicOfTheFileWithItsPartitions() throws Exception {
        Map<String, Integer> topics = FleetTopics.of(TOPICS);
        long declared = Files.readAllLines(TOPICS).stream()
                .filter(l -> l.trim().equals("kind: KafkaTopic"))
                .count();
        assertEquals(declared, topics.size(), "one entry per KafkaTopic");
        assertEquals(6, topics.get("OrderPlaced"));
        assertEquals(1, topics.get("OrderPlaced.order-service.DLT"));
    }
}
