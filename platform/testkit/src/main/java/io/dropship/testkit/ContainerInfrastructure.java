package io.dropship.testkit;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.dropship.infra.LocalPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Kafka and PostgreSQL in Docker containers, configured as the embedded ones are: PostgreSQL with wal_level=logical
 * and room for every service's replication slot, on a host port fixed at creation so that a fault test's stop and
 * start ({@link LocalPostgres#stopServer()}) brings it back where the services look for it.
 */
final class ContainerInfrastructure {

    private ContainerInfrastructure() {}

    static KafkaContainer kafka() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:" + TestInfrastructure.Images.KAFKA_VERSION);
        kafka.start();
        return kafka;
    }

    static LocalPostgres postgres() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        int hostPort = port;
        PostgreSQLContainer container = new PostgreSQLContainer(
                        "postgres:" + TestInfrastructure.Images.POSTGRES_VERSION)
                .withUsername("postgres")
                .withPassword("postgres")
                .withCommand(
                        "postgres",
                        "-c",
                        "wal_level=logical",
                        "-c",
                        "max_wal_senders=40",
                        "-c",
                        "max_replication_slots=40",
                        "-c",
                        "max_connections=400",
                        "-c",
                        "fsync=off",
                        "-c",
                        "synchronous_commit=on")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withPortBindings(new PortBinding(Ports.Binding.bindPort(hostPort), new ExposedPort(5432))));
        container.start();
        String host = container.getHost();
        return LocalPostgres.external(host, hostPort, "postgres", "postgres", new LocalPostgres.Lifecycle() {
            @Override
            public void stop() {
                // SIGINT is PostgreSQL's fast shutdown: clients see their connections cut, as in a crash or a restart.
                DockerClientFactory.instance()
                        .client()
                        .killContainerCmd(container.getContainerId())
                        .withSignal("SIGINT")
                        .exec();
                awaitStopped(container.getContainerId());
            }

            @Override
            public void start() throws IOException {
                DockerClientFactory.instance()
                        .client()
                        .startContainerCmd(container.getContainerId())
                        .exec();
                awaitAccepting("jdbc:postgresql://" + host + ":" + hostPort + "/postgres");
            }

            @Override
            public void close() {
                container.stop();
            }
        });
    }

    private static void awaitStopped(String id) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            Boolean running = DockerClientFactory.instance()
                    .client()
                    .inspectContainerCmd(id)
                    .exec()
                    .getState()
                    .getRunning();
            if (!Boolean.TRUE.equals(running)) {
                return;
            }
            sleep();
        }
        throw new IllegalStateException("the PostgreSQL container did not stop within 60 s");
    }

    private static void awaitAccepting(String url) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try (var ignored = DriverManager.getConnection(url, "postgres", "postgres")) {
                return;
            } catch (java.sql.SQLException e) {
                sleep();
            }
        }
        throw new IOException("the PostgreSQL container did not accept connections within 60 s of starting again");
    }

    private static void sleep() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
