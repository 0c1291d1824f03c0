package io.dropship.infra;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) in a child JVM, started from the
 * kafka_2.13 Maven artifacts whose classpath platform-kafka-broker records. The broker never shares a
 * classpath with the code under test. Set DROPSHIP_KAFKA_BOOTSTRAP to use an external cluster instead.
 */
public final class LocalKafka implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "io/dropship/infra/kafka-broker.classpath";

    private final Process process;
    private final String bootstrapServers;
    private final String scramBootstrapServers;
    private final String tlsBootstrapServers;
    private final Path caCertificate;
    private final Path logFile;

    private LocalKafka(
            Process process,
            String bootstrapServers,
            String scramBootstrapServers,
            String tlsBootstrapServers,
            Path caCertificate,
            Path logFile) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.scramBootstrapServers = scramBootstrapServers;
        this.tlsBootstrapServers = tlsBootstrapServers;
        this.caCertificate = caCertificate;
        this.logFile = logFile;
    }

    /**
     * Starts a broker, formatting its storage on first use.
     *
     * @param workDirectory holds the data, config and log; reused across restarts, so data survives
     * @param port the client port, 0 for any free port
     */
    public static LocalKafka start(Path workDirectory, int port) throws IOException {
        Optional<String> external =
                Optional.ofNullable(System.getenv("DROPSHIP_KAFKA_BOOTSTRAP")).filter(v -> !v.isBlank());
        if (external.isPresent()) {
            LocalKafka kafka = new LocalKafka(null, external.get(), null, null, null, null);
            kafka.awaitReady(Duration.ofSeconds(30));
            return kafka;
        }
        Files.createDirectories(workDirectory);
        int clientPort = port > 0 ? port : freePort();
        int controllerPort = freePort();
        int scramPort = freePort();
        int tlsPort = freePort();
        Path dataDir = workDirectory.resolve("data");
        Tls tls = Tls.ensure(workDirectory.resolve("tls"));
        Path config = workDirectory.resolve("server.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "process.roles=broker,controller",
                        "node.id=1",
                        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                        "listeners=PLAINTEXT://127.0.0.1:" + clientPort + ",SCRAM://127.0.0.1:" + scramPort
                                + ",TLS://127.0.0.1:" + tlsPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                        "advertised.listeners=PLAINTEXT://127.0.0.1:" + clientPort + ",SCRAM://127.0.0.1:" + scramPort
                                + ",TLS://127.0.0.1:" + tlsPort,
                        "controller.listener.names=CONTROLLER",
                        "inter.broker.listener.name=PLAINTEXT",
                        // A second listener that takes SASL/SCRAM-SHA-512 logins only, as a secured cluster does: tests
                        // prove
                        // that clients configured with kafka.security.protocol / sasl.* reach it (users: addScramUser).
                        // A third, like Strimzi's internal TLS listener: SCRAM-SHA-512 over TLS, the broker's
                        // certificate
                        // self-signed here (tlsCaCertificate() is what a client trusts, as Strimzi's cluster CA in a
                        // cluster).
                        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SCRAM:SASL_PLAINTEXT,TLS:SASL_SSL,CONTROLLER:PLAINTEXT",
                        "sasl.enabled.mechanisms=SCRAM-SHA-512",
                        "listener.name.scram.scram-sha-512.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                        "listener.name.tls.scram-sha-512.sasl.jaas.config="
                                + "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                        "listener.name.tls.ssl.keystore.type=PKCS12",
                        "listener.name.tls.ssl.keystore.location="
                                + tls.keystore().toAbsolutePath(),
                        "listener.name.tls.ssl.keystore.password=" + Tls.PASSWORD,
                        "listener.name.tls.ssl.key.password=" + Tls.PASSWORD,
                        "log.dirs=" + dataDir.toAbsolutePath(),
                        "num.partitions=6",
                        "auto.create.topics.enable=true",
                        "offsets.topic.replication.factor=1",
                        "offsets.topic.num.partitions=10",
                        "transaction.state.log.replication.factor=1",
                        "transaction.state.log.min.isr=1",
                        "share.coordinator.state.topic.replication.factor=1",
                        "share.coordinator.state.topic.min.isr=1",
                        "group.initial.rebalance.delay.ms=0",
                        "log.retention.hours=168",
                        // One network thread per listener and two request handlers instead of 3 and 8: on a machine
                        // of two cores the rest only woke every 300 ms to find nothing (an idle fleet's broker: 156
                        // wake-ups a second on these threads).
                        "num.network.threads=1",
                        "num.io.threads=2",
                        // The controller appends a no-op record to the metadata log every 500 ms by default, so that
                        // its followers see its high watermark move; this broker is its only reader, and each record
                        // woke its raft, controller and metadata-loader threads.
                        "metadata.max.idle.interval.ms=5000",
                        ""),
                StandardCharsets.UTF_8);
        Path log4j = workDirectory.resolve("log4j2.properties");
        Files.writeString(
                log4j,
                String.join(
                        "\n",
                        "status = error",
                        "appender.out.type = Console",
                        "appender.out.name = OUT",
                        "appender.out.layout.type = PatternLayout",
                        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
                        "rootLogger.level = WARN",
                        "rootLogger.appenderRef.out.ref = OUT",
                        "logger.server.name = kafka.server.KafkaRaftServer",
                        "logger.server.level = INFO",
                        ""),
                StandardCharsets.UTF_8);
        Path logFile = workDirectory.resolve("kafka.log");
        String classpath = brokerClasspath();

        if (!Files.exists(dataDir.resolve("meta.properties"))) {
            Process format = new ProcessBuilder(javaCommand(
                            classpath,
                            log4j,
                            "kafka.tools.StorageTool",
                            "format",
                            "-t",
                            Uuid.randomUuid().toString(),
                            "-c",
                            config.toString(),
                            "--ignore-formatted"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            try {
                if (!format.waitFor(120, TimeUnit.SECONDS) || format.exitValue() != 0) {
                    throw new IOException("formatting Kafka storage failed; see " + logFile);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while formatting Kafka storage", e);
            }
        }

        Process broker = new ProcessBuilder(javaCommand(classpath, log4j, "kafka.Kafka", config.toString()))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        LocalKafka kafka = new LocalKafka(
                broker,
                "127.0.0.1:" + clientPort,
                "127.0.0.1:" + scramPort,
                "127.0.0.1:" + tlsPort,
                tls.certificate(),
                logFile);
        try {
            kafka.awaitReady(Duration.ofSeconds(90));
        } catch (IOException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    private static List<String> javaCommand(String classpath, Path log4j, String mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms128m");
        command.add("-Xmx"
                + Optional.ofNullable(System.getenv("DROPSHIP_KAFKA_HEAP")).orElse("768m"));
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        // The statistics sampler once a second, not every 50 ms (as the services, Fleet.SERVICE_JVM_OPTIONS).
        command.add("-XX:PerfDataSamplingInterval=1000");
        command.add("-Dlog4j2.configurationFile=" + log4j.toAbsolutePath());
        command.add("-cp");
        command.add(classpath + java.io.File.pathSeparator + ownLocation());
        command.add(ParentWatch.class.getName());
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private static String brokerClasspath() throws IOException {
        try (InputStream in = LocalKafka.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IOException(CLASSPATH_RESOURCE + " is missing: build platform/kafka-broker first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static String ownLocation() throws IOException {
        try {
            return Path.of(ParentWatch.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        Instant deadline = Instant.now().plus(timeout);
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            if (process != null && !process.isAlive()) {
                throw new IOException("the Kafka broker exited with " + process.exitValue() + "; see " + logFile);
            }
            try (Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                sleep(250);
            }
        }
        throw new IOException(
                "the Kafka broker at " + bootstrapServers + " did not answer within " + timeout
                        + (logFile != null ? "; see " + logFile : ""),
                last);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the broker process runs (an external cluster always counts as running). */
    public boolean isAlive() {
        return process == null || process.isAlive();
    }

    /** The broker's process id, when it is a child of this JVM. */
    public Optional<Long> pid() {
        return process == null ? Optional.empty() : Optional.of(process.pid());
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The listener that takes SASL_PLAINTEXT with SCRAM-SHA-512 only (absent for an external cluster). */
    public Optional<String> scramBootstrapServers() {
        return Optional.ofNullable(scramBootstrapServers);
    }

    /** The listener that takes SASL_SSL with SCRAM-SHA-512 only (absent for an external cluster). */
    public Optional<String> tlsBootstrapServers() {
        return Optional.ofNullable(tlsBootstrapServers);
    }

    /** The PEM certificate a client of {@link #tlsBootstrapServers()} trusts. */
    public Optional<Path> tlsCaCertificate() {
        return Optional.ofNullable(caCertificate);
    }

    /** The broker's self-signed key pair, made once with the JDK's keytool and kept beside its data. */
    record Tls(Path keystore, Path certificate) {
        static final String PASSWORD = "local-kafka-tls";

        static Tls ensure(Path dir) throws IOException {
            Tls tls = new Tls(dir.resolve("broker.p12"), dir.resolve("ca.crt"));
            if (Files.exists(tls.keystore()) && Files.exists(tls.certificate())) {
                return tls;
            }
            Files.createDirectories(dir);
            Files.deleteIfExists(tls.keystore());
            String keytool =
                    Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            run(
                    keytool,
                    "-genkeypair",
                    "-alias",
                    "broker",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-validity",
                    "3650",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    tls.keystore().toString(),
                    "-storepass",
                    PASSWORD,
                    "-keypass",
                    PASSWORD);
            run(
                    keytool,
                    "-exportcert",
                    "-rfc",
                    "-alias",
                    "broker",
                    "-keystore",
                    tls.keystore().toString(),
                    "-storepass",
                    PASSWORD,
                    "-file",
                    tls.certificate().toString());
            return tls;
        }

        private static void run(String... command) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IOException("keytool failed: " + out);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while making the broker's certificate", e);
            }
        }
    }

    /** Creates (or replaces) a SCRAM-SHA-512 user, through the plain listener. */
    public void addScramUser(String user, String password) throws IOException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.alterUserScramCredentials(List.of(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                            user,
                            new org.apache.kafka.clients.admin.ScramCredentialInfo(
                                    org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096),
                            password)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("could not add the SCRAM user " + user, e);
        }
    }

    public Optional<Path> logFile() {
        return Optional.ofNullable(logFile);
    }

    @Override
    public void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
