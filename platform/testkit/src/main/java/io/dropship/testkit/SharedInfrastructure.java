package io.dropship.testkit;

import io.dropship.infra.LocalKafka;
import io.dropship.infra.LocalPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Kafka broker and one real PostgreSQL server per test JVM, however many test classes and
 * Quarkus restarts use them: in Docker containers where a Docker engine answers, embedded otherwise
 * ({@link TestInfrastructure}). Stopped by a shutdown hook when the JVM ends.
 */
public final class SharedInfrastructure {

    /** The broker the tests use, however it runs. */
    public interface Kafka {
        String bootstrapServers();

        /**
         * The embedded broker itself, where the tests run one: it also has listeners that take SASL/SCRAM-SHA-512 only,
         * plain and over TLS (KafkaSecurityIT). Testcontainers' broker has none.
         */
        default java.util.Optional<LocalKafka> embedded() {
            return java.util.Optional.empty();
        }
    }

    private static SharedInfrastructure instance;

    private final Kafka kafka;
    private final LocalPostgres postgres;
    private final Runnable stopKafka;

    private SharedInfrastructure(Kafka kafka, LocalPostgres postgres, Runnable stopKafka) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.stopKafka = stopKafka;
    }

    public static synchronized SharedInfrastructure get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static SharedInfrastructure start() {
        TestInfrastructure.Choice choice =
                TestInfrastructure.choose(TestInfrastructure.setting(), TestInfrastructure::dockerAnswers);
        System.out.println(choice.describe());
        try {
            SharedInfrastructure infra =
                    choice.kind() == TestInfrastructure.Kind.CONTAINERS ? containers() : embedded();
            createTopics(infra.kafka.bootstrapServers());
            Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "test-infra-stop"));
            return infra;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test Kafka broker and PostgreSQL server", e);
        }
    }

    private static SharedInfrastructure embedded() throws IOException {
        Path work = Files.createTempDirectory("dropship-test-infra");
        LocalPostgres postgres = LocalPostgres.start(null, 0);
        LocalKafka kafka;
        try {
            kafka = LocalKafka.start(work.resolve("kafka"), 0);
        } catch (IOException | RuntimeException e) {
            postgres.close();
            throw e;
        }
        Kafka embedded = new Kafka() {
            @Override
            public String bootstrapServers() {
                return kafka.bootstrapServers();
            }

            @Override
            public java.util.Optional<LocalKafka> embedded() {
                return java.util.Optional.of(kafka);
            }
        };
        return new SharedInfrastructure(embedded, postgres, kafka::close);
    }

    private static SharedInfrastructure containers() throws IOException {
        LocalPostgres postgres = ContainerInfrastructure.postgres();
        KafkaContainer kafka;
        try {
            kafka = ContainerInfrastructure.kafka();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new SharedInfrastructure(kafka::getBootstrapServers, postgres, kafka::stop);
    }

    /**
     * Every contract's topic, before any service starts: a consumer subscribed to a topic that does not exist yet sees
     * its partitions only as its metadata is refreshed, so the first event of a test could wait half a minute unread.
     */
    private static void createTopics(String bootstrap) {
        try (org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(java.util.Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(io.dropship.contracts.ContractCheck.TOPICS.stream()
                            .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, 3, (short) 1))
                            .toList())
                    .all()
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the test topics", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not create the test topics", e.getCause());
        }
    }

    private void stop() {
        stopKafka.run();
        try {
            postgres.close();
        } catch (IOException ignored) {
            // the JVM is going away; a server that did not stop cleanly is reclaimed with its temp directory
        }
    }

    public Kafka kafka() {
        return kafka;
    }

    public LocalPostgres postgres() {
        return postgres;
    }
}
