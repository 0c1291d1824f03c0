package io.dropship.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The fleet's topics made before its services start, as the cluster's KafkaTopics are (deploy/k8s/base/kafka/
 * topics.yaml, with their partitions; one replica on the one broker). Left to auto-creation, a topic is made by the
 * first client that asks for it, and a consumer group reading several topics is given the partitions of one made
 * after it joined only at its next metadata refresh: on a fresh fleet order-service's per-order group saw OrderPlaced
 * 5 s after the smoke order was sent.
 */
final class FleetTopics {

    private static final Pattern NAME = Pattern.compile("^\\s*topicName:\\s*(\\S+)\\s*$");
    private static final Pattern PARTITIONS = Pattern.compile("^\\s*partitions:\\s*(\\d+)\\s*$");

    private FleetTopics() {}

    /** Each topic of the file and its partitions, in the file's order. */
    static Map<String, Integer> of(Path topicsYaml) throws IOException {
        Map<String, Integer> topics = new LinkedHashMap<>();
        String name = null;
        for (String line : Files.readAllLines(topicsYaml)) {
            Matcher n = NAME.matcher(line);
            Matcher p = PARTITIONS.matcher(line);
            if (n.matches()) {
                name = n.group(1);
            } else if (p.matches() && name != null) {
                topics.put(name, Integer.parseInt(p.group(1)));
                name = null;
            }
        }
        return topics;
    }

    /** Makes the topics the broker does not have yet; returns how many it made. */
    static int createMissing(String bootstrapServers, Path topicsYaml)
            throws IOException, InterruptedException, ExecutionException, TimeoutException {
        Map<String, Integer> wanted = of(topicsYaml);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            wanted.forEach((topic, partitions) -> {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions, (short) 1));
                }
            });
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
            return missing.size();
        }
    }
}
