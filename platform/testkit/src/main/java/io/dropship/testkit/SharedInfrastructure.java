package io.dropship.testkit;

import io.dropship.infra.LocalKafka;
import io.dropship.infra.LocalPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One real Kafka broker and one real PostgreSQL server per test JVM, however many test classes and
 * Quarkus restarts use them. Stopped by a shutdown hook when the JVM ends.
 */
public final class SharedInfrastructure {

    private static SharedInfrastructure instance;

    private final LocalKafka kafka;
    private final LocalPostgres postgres;

    private SharedInfrastructure(LocalKafka kafka, LocalPostgres postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    public static synchronized SharedInfrastructure get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static SharedInfrastructure start() {
        try {
            Path work = Files.createTempDirectory("dropship-test-infra");
            LocalPostgres postgres = LocalPostgres.start(null, 0);
            LocalKafka kafka;
            try {
                kafka = LocalKafka.start(work.resolve("kafka"), 0);
            } catch (IOException | RuntimeException e) {
                postgres.close();
                throw e;
            }
            createTopics(kafka.bootstrapServers());
            SharedInfrastructure infra = new SharedInfrastructure(kafka, postgres);
            Runtime.getRuntime().addShutdownHook(new Thread(infra::stop, "test-infra-stop"));
            return infra;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test Kafka broker and PostgreSQL server", e);
        }
    }

    /**
     * Every contract's topic, before any service starts: a consumer subscribed to a topic that does not exist yet sees
     * its partitions only as its metadata is refreshed, so the first event of a test could wait half a minute unread.
     */
    private static void createTopics(String bootstrap) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(io.dropship.contracts.ContractCheck.EVENTS.stream()
                    .map(t -> new org.apache.kafka.clients.admin.NewTopic(t, 3, (short) 1)).toList()).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the test topics", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("could not create the test topics", e.getCause());
        }
    }

    private void stop() {
        kafka.close();
        try {
            postgres.close();
        } catch (IOException ignored) {
            // the JVM is going away; a server that did not stop cleanly is reclaimed with its temp directory
        }
    }

    public LocalKafka kafka() {
        return kafka;
    }

    public LocalPostgres postgres() {
        return postgres;
    }
}
