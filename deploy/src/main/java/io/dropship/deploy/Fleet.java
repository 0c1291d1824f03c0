package io.dropship.deploy;

import io.dropship.fakestores.FakeStores;
import io.dropship.infra.LocalKafka;
import io.dropship.infra.LocalPostgres;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The whole platform on one machine: a real PostgreSQL server (a database per service), a real Kafka
 * broker, and the six services, each with its outbox relay. Data lives under .fleet/ so a restart keeps
 * state. Ctrl-C stops everything.
 *
 * <pre>
 *   fleet up      start everything, show it working, wait for Ctrl-C
 *   fleet smoke   send an order through the running fleet and watch it arrive
 *   fleet demo    the order flow end to end on the running fleet, as each party sees it
 *   fleet bench   signed Shopify webhooks at a chosen rate; throughput and latency percentiles
 *   fleet status  health of each service
 *   fleet dead-letters  what consumers could not apply, per service; list, show, replay (see DeadLetterCommand)
 *   fleet chaos   order load while services, PostgreSQL and Kafka are killed and restarted; checks nothing was lost
 * </pre>
 */
public final class Fleet {

    record Service(String name, String database, int port, int instance) {
        Service(String name, String database, int port) {
            this(name, database, port, 1);
        }

        /** The k-th instance of this service (./fleet up --instances N): its ports are the first's + 100 per instance. */
        Service instance(int k) {
            return new Service(name, database, port + 100 * (k - 1) - 100 * (instance - 1), k);
        }

        /** The name, with the instance for the second and later ones: order-service, order-service#2. */
        String label() {
            return instance == 1 ? name : name + "#" + instance;
        }

        /** Its log file's name: order-service.log, order-service-2.log. */
        String logFile() {
            return (instance == 1 ? name : name + "-" + instance) + ".log";
        }

        Path jar(Path root) {
            return root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        }

        String url() {
            return "http://localhost:" + port;
        }

        /** Health, metrics and the OpenAPI document: the management interface, the service's port + 1000. */
        int managementPort() {
            return port + 1000;
        }

        String managementUrl() {
            return "http://localhost:" + managementPort();
        }
    }

    /** Shifts every HTTP port (services 8080-8085, fake stores 8090), so a second fleet (the end-to-end test) can run beside one. */
    static final int PORT_OFFSET = intEnv("FLEET_PORT_OFFSET", 0);

    static final List<Service> SERVICES = List.of(
            new Service("integration-gateway", "gateway", 8080 + PORT_OFFSET),
            new Service("catalog-service", "catalog", 8081 + PORT_OFFSET),
            new Service("order-service", "orders", 8082 + PORT_OFFSET),
            new Service("inventory-service", "inventory", 8083 + PORT_OFFSET),
            new Service("fulfillment-service", "fulfillment", 8084 + PORT_OFFSET),
            new Service("settlement-service", "settlement", 8085 + PORT_OFFSET));

    /** The first of the six PostgreSQL servers' ports: the gateway's; FleetDatabases gives each service its own. */
    static final int POSTGRES_PORT = intEnv("FLEET_POSTGRES_PORT", 15432);

    static final int KAFKA_PORT = intEnv("FLEET_KAFKA_PORT", 19092);
    /** Local fake Shopify and WooCommerce stores: the gateway's store calls land here, the demo reads them back. */
    /** The local fleet's Stripe key, known only to the fake Stripe on the fake store server. */
    static final String LOCAL_STRIPE_KEY = "sk_test_local_fleet";
    /** The platform's Shopify app as the fleet's fake Shopify knows it: shops install it in one click. */
    static final String LOCAL_SHOPIFY_CLIENT_ID = "dropship-local-app";

    static final String LOCAL_SHOPIFY_CLIENT_SECRET = "shpss_local_fleet_app_secret";
    static final String LOCAL_STRIPE_WEBHOOK_SECRET = "whsec_local_fleet";
    static final int FAKE_STORES_PORT = intEnv("FLEET_FAKE_STORES_PORT", 8090 + PORT_OFFSET);
    /** The fleet's mail server: the gateway sends account mails by SMTP, the demo reads them by IMAP. */
    static final int SMTP_PORT = intEnv("FLEET_SMTP_PORT", 3025 + PORT_OFFSET);

    static final int IMAP_PORT = intEnv("FLEET_IMAP_PORT", 3143 + PORT_OFFSET);

    private static final PrintStream OUT = System.out;

    private final Path root;
    private final Path data;
    private final List<Supervised> services = new ArrayList<>();
    private volatile boolean stopping;
    private volatile Thread supervisor;
    private Map<String, String> keys;
    private volatile LocalKafka kafka;
    private volatile FleetDatabases databases;
    private FakeStores fakeStores;
    private com.icegreen.greenmail.util.GreenMail mail;

    /**
     * Where the services send their traces (OTLP over HTTP, e.g. Jaeger's http://localhost:4318): ./fleet up --traces
     * URL, or FLEET_OTLP_ENDPOINT. Without one, tracing is off, as the services' default is.
     */
    private String otlpEndpoint = stringEnv("FLEET_OTLP_ENDPOINT");

    /** With --profile: each service records a Java Flight Recording (profile settings) into .fleet/profiles. */
    private boolean profile;

    /**
     * How many instances of every service run (./fleet up --instances N, or FLEET_INSTANCES): they share the consumer
     * groups, the work queues in the databases and one active outbox relay per database, as replicas in a cluster do.
     */
    private int instances = Math.max(1, Math.min(3, intEnv("FLEET_INSTANCES", 1)));

    /** Every service instance this fleet runs: the six, then the second instance of each, and so on. */
    List<Service> all() {
        List<Service> all = new ArrayList<>();
        for (int k = 1; k <= instances; k++) {
            for (Service s : SERVICES) {
                all.add(s.instance(k));
            }
        }
        return all;
    }

    /** The service instances a running fleet has, from its run.status (for bench and chaos in other processes). */
    static List<Service> running(Path data) throws IOException {
        List<Service> found = new ArrayList<>();
        for (String label : servicePids(data).keySet()) {
            String name = label.contains("#") ? label.substring(0, label.indexOf('#')) : label;
            int k = label.contains("#") ? Integer.parseInt(label.substring(label.indexOf('#') + 1)) : 1;
            SERVICES.stream().filter(s -> s.name().equals(name)).findFirst().ifPresent(s -> found.add(s.instance(k)));
        }
        return found.isEmpty() ? SERVICES : found;
    }

    /** Whether the gateway issues development tokens (POST /api/dev/tokens): only with ./fleet up --dev-tokens. */
    private boolean devTokens;

    private Fleet(Path root, Path data) {
        this.root = root;
        this.data = data;
    }

    /**
     * Starts the whole fleet with its data under {@code data} and returns once every service is healthy;
     * {@link #stop()} ends it. The end-to-end test runs the platform this way.
     */
    static Fleet start(Path root, Path data) throws Exception {
        Fleet fleet = new Fleet(root, data);
        try {
            fleet.startAll(Instant.now());
        } catch (Exception e) {
            fleet.down();
            throw e;
        }
        return fleet;
    }

    void stop() {
        down();
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        String command = args.length > 0 ? args[0] : "up";
        switch (command) {
            case "up" -> {
                Fleet fleet = new Fleet(root, root.resolve(".fleet"));
                fleet.devTokens = java.util.Arrays.asList(args).contains("--dev-tokens");
                int n = java.util.Arrays.asList(args).indexOf("--instances");
                if (n > 0 && n + 1 < args.length) {
                    fleet.instances = Math.max(1, Math.min(3, Integer.parseInt(args[n + 1])));
                }
                fleet.profile = java.util.Arrays.asList(args).contains("--profile");
                int traces = java.util.Arrays.asList(args).indexOf("--traces");
                if (traces > 0) {
                    fleet.otlpEndpoint = traces + 1 < args.length && !args[traces + 1].startsWith("--")
                            ? args[traces + 1]
                            : "http://localhost:4318";
                }
                fleet.up();
            }
            case "smoke" -> System.exit(Smoke.run(SERVICES) ? 0 : 1);
            case "demo" -> System.exit(Demo.run(SERVICES) ? 0 : 1);
            case "bench" -> {
                String what = args.length > 1 ? args[1] : "orders";
                boolean ok = switch (what) {
                    case "search" ->
                        CatalogBench.search(SERVICES, args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000);
                    case "import" ->
                        CatalogBench.importRows(SERVICES, args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000);
                    case "limit" ->
                        LimitBench.run(
                                args.length > 2 ? Integer.parseInt(args[2]) : 8,
                                args.length > 3 ? Integer.parseInt(args[3]) : 20);
                    case "analytics" ->
                        AnalyticsBench.run(SERVICES, args.length > 2 ? Integer.parseInt(args[2]) : 300_000);
                    case "stock" ->
                        StockBench.run(
                                SERVICES,
                                args.length > 2 ? Integer.parseInt(args[2]) : 100_000,
                                args.length > 3 ? Integer.parseInt(args[3]) : 10_000);
                    case "orders" ->
                        Bench.run(
                                running(root.resolve(".fleet")),
                                root.resolve(".fleet"),
                                args.length > 2 ? Integer.parseInt(args[2]) : 500,
                                args.length > 3 ? Integer.parseInt(args[3]) : 50);
                    // The original form: ./fleet bench [orders] [per second]
                    default ->
                        Bench.run(
                                running(root.resolve(".fleet")),
                                root.resolve(".fleet"),
                                Integer.parseInt(what),
                                args.length > 2 ? Integer.parseInt(args[2]) : 50);
                };
                System.exit(ok ? 0 : 1);
            }
            case "status" -> status(root.resolve(".fleet"));
            case "profile" -> System.exit(Profile.report(root.resolve(".fleet").resolve("profiles")) ? 0 : 1);
            case "dead-letters" -> System.exit(DeadLetterCommand.run(SERVICES, args) ? 0 : 1);
            case "chaos" ->
                System.exit(
                        Chaos.run(
                                        running(root.resolve(".fleet")),
                                        root.resolve(".fleet"),
                                        args.length > 1 ? Integer.parseInt(args[1]) : 300,
                                        args.length > 2 ? Integer.parseInt(args[2]) : 5)
                                ? 0
                                : 1);
            default -> {
                OUT.println(
                        "usage: fleet [up [--instances N] [--dev-tokens] [--traces [OTLP-URL]] [--profile]|smoke|demo|bench [orders [count] [per second] | limit [clients] [seconds] | search [products] | import [rows] | stock [changes] [skus] | analytics [lines]]|status|profile|dead-letters [list|show|replay|replay-all]|chaos [orders] [per second]]");
                System.exit(2);
            }
        }
    }

    private void up() throws Exception {
        Instant started = Instant.now();
        Runtime.getRuntime().addShutdownHook(new Thread(this::down, "fleet-down"));
        try {
            startAll(started);
        } catch (Exception e) {
            // The broker, the fake stores and the services' watchers keep the JVM alive: exit, so the hook stops them
            // all and frees .fleet/ for the next start.
            OUT.println();
            OUT.println("fleet: start failed: " + e.getMessage());
            System.exit(1);
        }

        OUT.println();
        OUT.printf("%-22s %-6s %-24s %s%n", "SERVICE", "PORT", "URL", "API DOCS, HEALTH, METRICS (management port)");
        for (Service s : all()) {
            OUT.printf("%-22s %-6d %-24s %s%n", s.label(), s.port(), s.url(), s.managementUrl() + "/q/swagger-ui");
        }
        OUT.printf("%-22s %-6d %-24s%n", "kafka", KAFKA_PORT, "127.0.0.1:" + KAFKA_PORT);
        for (String database : FleetDatabases.names()) {
            OUT.printf(
                    "%-22s %-6d %-24s%n",
                    FleetDatabases.label(database),
                    FleetDatabases.port(database),
                    "postgres@127.0.0.1:" + FleetDatabases.port(database) + "/" + database);
        }
        OUT.printf("%-22s %-6d %-24s%n", "fake stores", FAKE_STORES_PORT, fakeStores.baseUrl());
        OUT.printf(
                "%-22s %-6d %-24s %s%n",
                "mail (SMTP, IMAP)",
                SMTP_PORT,
                "127.0.0.1:" + IMAP_PORT,
                "account mails; read them by IMAP: user and password are the address");
        OUT.println();
        OUT.printf(
                "All six services UP%s in %.1f s. Health /q/health and metrics /q/metrics on each management port.%n",
                instances > 1
                        ? ", " + instances + " instances of each (sharing consumer groups, work queues and one"
                                + " outbox relay per database)"
                        : "",
                seconds(started));
        OUT.println();
        OUT.println("The API: " + SERVICES.get(0).url()
                + " (one base URL for every service; the others' ports are internal)."
                + " Its document: " + SERVICES.get(0).url() + "/api/openapi.json, Swagger UI "
                + SERVICES.get(0).managementUrl()
                + "/q/swagger-ui");
        OUT.println(
                "Sign up: POST /api/auth/signup (retailers) or /api/auth/signup/supplier, confirm the e-mail from the mail"
                        + " server (IMAP " + IMAP_PORT + "), then POST /api/auth/signin. The local admin is "
                        + LOCAL_ADMIN + ".");
        if (otlpEndpoint != null) {
            OUT.println("Traces: every service sends its spans to " + otlpEndpoint
                    + " (OTLP over HTTP); one trace follows an"
                    + " order from the store's webhook through all six services.");
        }
        if (devTokens) {
            OUT.println();
            OUT.println(
                    "!!! DEVELOPMENT TOKENS ARE ON (--dev-tokens): POST /api/dev/tokens issues a token for ANY role to"
                            + " ANYONE who can reach port " + SERVICES.get(0).port() + ". For local scripts only. !!!");
        }
        OUT.println();
        Smoke.run(SERVICES);
        OUT.println();
        OUT.println("The fleet is running. In another terminal, ./fleet demo runs the order flow end to end.");
        OUT.println("Ctrl-C stops it; data stays in .fleet/ for the next start.");
        new CountDownLatch(1).await();
    }

    private void startAll(Instant started) throws Exception {
        Files.createDirectories(data.resolve("logs"));
        for (Service s : SERVICES) {
            if (!Files.exists(s.jar(root))) {
                throw new IllegalStateException(s.jar(root) + " is missing: build with ./mvnw install -DskipTests");
            }
        }
        refuseASecondLauncher();
        stopLeftoversOfAnEarlierRun();
        requireFreePorts();
        Files.writeString(
                data.resolve("run.launcher"),
                String.valueOf(ProcessHandle.current().pid()));

        if (FleetDatabases.sharedClusterToSplit(data)) {
            step("moving " + root.relativize(data.resolve("postgres")) + " (one server for six databases) to a server"
                    + " per database");
            Path kept = FleetDatabases.splitSharedCluster(data);
            done(started);
            OUT.println(
                    "  the old cluster is kept in " + root.relativize(kept) + "; delete it once this fleet runs well");
        }
        step("PostgreSQL 17, a server per database on ports " + POSTGRES_PORT + "-"
                + (POSTGRES_PORT + SERVICES.size() - 1) + " (data in "
                + root.relativize(data.resolve("databases")) + ")");
        databases = FleetDatabases.start(data);
        done(started);

        step("Kafka (KRaft) on port " + KAFKA_PORT + " (data in " + root.relativize(data.resolve("kafka")) + ")");
        kafka = LocalKafka.start(data.resolve("kafka"), KAFKA_PORT);
        int made =
                FleetTopics.createMissing(kafka.bootstrapServers(), root.resolve("deploy/k8s/base/kafka/topics.yaml"));
        if (made > 0) {
            OUT.print(made + " topics made (deploy/k8s/base/kafka/topics.yaml) ... ");
        }
        done(started);

        step("fake Shopify and WooCommerce stores on port " + FAKE_STORES_PORT);
        fakeStores = FakeStores.start(FAKE_STORES_PORT);
        fakeStores.shopifyApp(LOCAL_SHOPIFY_CLIENT_ID, LOCAL_SHOPIFY_CLIENT_SECRET);
        // The platform's Stripe account, faked on the same server: settlement-service's stripe-java talks to it.
        // Its events go to settlement-service's webhook endpoint, signed as Stripe signs them.
        fakeStores
                .stripe(LOCAL_STRIPE_KEY)
                .webhookEndpoint(url(SERVICES, "settlement-service") + "/webhooks/stripe", LOCAL_STRIPE_WEBHOOK_SECRET);
        done(started);

        step("mail server (GreenMail): SMTP on port " + SMTP_PORT + ", IMAP on port " + IMAP_PORT);
        mail = new com.icegreen.greenmail.util.GreenMail(new com.icegreen.greenmail.util.ServerSetup[] {
            new com.icegreen.greenmail.util.ServerSetup(SMTP_PORT, "127.0.0.1", "smtp"),
            new com.icegreen.greenmail.util.ServerSetup(IMAP_PORT, "127.0.0.1", "imap")
        });
        mail.start();
        done(started);

        keys = signingKeys();
        step("starting the six services" + (instances > 1 ? ", " + instances + " instances of each," : "")
                + " (logs in " + root.relativize(data.resolve("logs")) + ")");
        OUT.println();
        for (Service s : all()) {
            services.add(new Supervised(s, start(s, keys)));
        }
        writeRunState();
        awaitHealthy(started);
        seedLocalAdmin();
        supervise();
    }

    /** A service process and what the supervisor knows of it. */
    static final class Supervised {
        final Service service;
        volatile Process process;
        volatile Instant startedAt = Instant.now();
        volatile int restarts;
        volatile String lastExit = "-";

        Supervised(Service service, Process process) {
            this.service = service;
            this.process = process;
        }
    }

    /**
     * Restarts a service that exits, with backoff (1 s doubling to 30 s; back to 1 s once it has run a minute), and
     * says so on the console and in the service's log. In Kubernetes the platform does this; locally the launcher does.
     */
    private void supervise() {
        Map<Supervised, Instant> due = new java.util.concurrent.ConcurrentHashMap<>();
        Map<Supervised, Duration> backoff = new java.util.concurrent.ConcurrentHashMap<>();
        supervisor = new Thread(
                () -> {
                    while (!stopping) {
                        superviseInfrastructure();
                        for (Supervised s : services) {
                            if (stopping || s.process.isAlive()) {
                                continue;
                            }
                            Instant at = due.get(s);
                            if (at == null) {
                                Duration ran = Duration.between(s.startedAt, Instant.now());
                                Duration wait = ran.compareTo(Duration.ofMinutes(1)) > 0
                                        ? Duration.ofSeconds(1)
                                        : backoff.getOrDefault(s, Duration.ofSeconds(1));
                                backoff.put(
                                        s,
                                        wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                                                ? Duration.ofSeconds(30)
                                                : wait.multipliedBy(2));
                                s.lastExit = "exit " + s.process.exitValue() + " at "
                                        + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                                due.put(s, Instant.now().plus(wait));
                                report(
                                        s,
                                        String.format(
                                                "%s exited (code %d) after %.1f s; restarting in %d s",
                                                s.service.label(),
                                                s.process.exitValue(),
                                                ran.toMillis() / 1000.0,
                                                wait.toSeconds()));
                            } else if (!Instant.now().isBefore(at)) {
                                due.remove(s);
                                try {
                                    s.process = start(s.service, keys);
                                    s.startedAt = Instant.now();
                                    s.restarts++;
                                    report(
                                            s,
                                            s.service.label() + " restarted (pid " + s.process.pid() + ", restart "
                                                    + s.restarts + ")");
                                    writeRunState();
                                } catch (IOException e) {
                                    report(s, s.service.label() + " could not be restarted: " + e.getMessage());
                                    due.put(s, Instant.now().plusSeconds(5));
                                }
                            }
                        }
                        try {
                            Thread.sleep(200);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "fleet-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    /**
     * Brings PostgreSQL and the Kafka broker back when they die, and carries out the restarts asked for in
     * {@code .fleet/control} (the chaos run's: a file named restart-postgres or restart-kafka, removed when done).
     */
    private void superviseInfrastructure() {
        boolean changed = false;
        try {
            Path control = data.resolve("control");
            if (Files.exists(control.resolve("restart-postgres"))) {
                OUT.println("fleet: restarting PostgreSQL, every server (asked for)");
                Instant t0 = Instant.now();
                databases.restartAll(Duration.ofSeconds(2));
                OUT.printf("fleet: PostgreSQL back in %.1f s%n", seconds(t0));
                Files.deleteIfExists(control.resolve("restart-postgres"));
                changed = true;
            }
            if (Files.exists(control.resolve("restart-kafka"))) {
                OUT.println("fleet: restarting the Kafka broker (asked for)");
                kafka.close();
                Files.deleteIfExists(control.resolve("restart-kafka"));
            }
            Instant checked = Instant.now();
            List<String> restarted = databases.restartTheDead();
            if (!restarted.isEmpty()) {
                OUT.printf(
                        "fleet: PostgreSQL of %s was down; back in %.1f s%n",
                        String.join(", ", restarted), seconds(checked));
                changed = true;
            }
            if (!kafka.isAlive()) {
                OUT.println("fleet: the Kafka broker is down; starting it again");
                Instant t0 = Instant.now();
                kafka = LocalKafka.start(data.resolve("kafka"), KAFKA_PORT);
                OUT.printf("fleet: Kafka back in %.1f s%n", seconds(t0));
                changed = true;
            }
            if (changed) {
                writeRunState();
            }
        } catch (Exception e) {
            OUT.println("fleet: could not bring the infrastructure back yet: " + e.getMessage());
        }
    }

    private void report(Supervised s, String what) {
        OUT.println("fleet: " + what);
        try {
            Files.writeString(
                    data.resolve("logs").resolve(s.service.logFile()),
                    Instant.now() + " fleet: " + what + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException ignored) {
            // the console has it
        }
    }

    /** The service processes, for a later start to clean up after a killed launcher and for ./fleet status. */
    private synchronized void writeRunState() throws IOException {
        Files.writeString(
                data.resolve("run.pids"),
                String.join(
                        "\n",
                        services.stream()
                                .map(s -> String.valueOf(s.process.pid()))
                                .toList()));
        List<String> lines = new ArrayList<>(services.stream()
                .map(s -> s.service.label() + " " + s.process.pid() + " " + s.restarts + " "
                        + s.lastExit.replace(' ', '_'))
                .toList());
        databases.pids().forEach((label, pid) -> lines.add(label + " " + pid));
        kafka.pid().ifPresent(pid -> lines.add("kafka " + pid));
        // Replaced in one move, so a reader (./fleet status, the chaos run) never sees it half written.
        Path next = data.resolve("run.status.next");
        Files.writeString(next, String.join("\n", lines));
        Files.move(
                next,
                data.resolve("run.status"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The pid of each running service, as the launcher last wrote it. */
    static Map<String, Long> servicePids(Path data) throws IOException {
        Map<String, Long> pids = new LinkedHashMap<>();
        Path file = data.resolve("run.status");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split(" ");
                if (f.length >= 2) {
                    pids.put(f[0], Long.parseLong(f[1]));
                }
            }
        }
        return pids;
    }

    /**
     * Every port the fleet is about to listen on must be free: a server of another checkout or another program on
     * one of them would otherwise be used silently (an embedded PostgreSQL start only waits for its port to answer).
     */
    private void requireFreePorts() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        FleetDatabases.names().forEach(d -> ports.put(FleetDatabases.port(d), "PostgreSQL (" + d + ")"));
        ports.put(KAFKA_PORT, "Kafka");
        ports.put(FAKE_STORES_PORT, "the fake stores");
        ports.put(SMTP_PORT, "the mail server (SMTP)");
        ports.put(IMAP_PORT, "the mail server (IMAP)");
        all().forEach(s -> {
            ports.put(s.port(), s.label());
            ports.put(s.managementPort(), s.label() + " (management)");
        });
        List<String> busy = new ArrayList<>();
        ports.forEach((port, what) -> {
            if (!free(port)) {
                busy.add("port " + port + " (for " + what + ") is held by " + holder(port));
            }
        });
        if (!busy.isEmpty()) {
            throw new IllegalStateException(String.join("; ", busy) + ". Stop it, or run this fleet on other ports"
                    + " (FLEET_PORT_OFFSET, FLEET_POSTGRES_PORT, FLEET_KAFKA_PORT, FLEET_FAKE_STORES_PORT)");
        }
    }

    static boolean free(int port) {
        for (String host : new String[] {"127.0.0.1", "0.0.0.0"}) {
            try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
                // As servers bind: connections of an earlier run still in TIME_WAIT do not hold the port, a listener
                // does.
                socket.setReuseAddress(true);
                socket.bind(new java.net.InetSocketAddress(host, port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Who listens on the port, as ss tells it ("postgres (pid 4242)"), or a plain "another process". */
    static String holder(int port) {
        try {
            Process ss = new ProcessBuilder("ss", "-ltnpH", "sport = :" + port)
                    .redirectErrorStream(true)
                    .start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ss.waitFor(5, TimeUnit.SECONDS);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(\"([^\"]+)\",pid=(\\d+)")
                    .matcher(out);
            if (m.find()) {
                return m.group(1) + " (pid " + m.group(2) + ")";
            }
        } catch (IOException e) {
            // no ss on this machine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "another process";
    }

    /**
     * The JVM options of every service (the images carry the same, platform/web's quarkus.jib settings): a heap of at
     * most 192 MB that gives memory back (the live set is 30 to 80 MB) with the serial collector (one core's worth of
     * work each), and the C1 compiler only. With C2, six JVMs on two cores spent most of a bench compiling
     * (order-service: 129 s of its compiler's time in a 177 s run) and ran profiled, slower code meanwhile; C1's code
     * is ready within seconds and costs a fraction to make. The JVM's statistics sampler runs once a second instead of
     * every 50 ms (20 wake-ups a second per idle JVM, 0.003 of a core; jstat's collector counts are kept at each
     * collection, not by the sampler). Every 30 s the JVM gives glibc's freed native memory back to the system
     * ({@code TrimNativeHeapInterval}, experimental in 17.0.9 and later, a product option from 21): RSS after the order
     * bench 4 to 16 MiB lower per service. {@code FLEET_JAVA_OPTS} replaces them (space-separated), to compare
     * settings.
     */
    static List<String> serviceJvmOptions() {
        String custom = System.getenv("FLEET_JAVA_OPTS");
        if (custom != null && !custom.isBlank()) {
            return List.of(custom.trim().split("\\s+"));
        }
        return SERVICE_JVM_OPTIONS;
    }

    static final List<String> SERVICE_JVM_OPTIONS = List.of(
            "-Xms32m",
            "-Xmx192m",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:PerfDataSamplingInterval=1000",
            "-XX:+UnlockExperimentalVMOptions",
            "-XX:TrimNativeHeapInterval=30000");

    private Process start(Service s, Map<String, String> keys) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBin()));
        command.addAll(serviceJvmOptions());
        if (profile) {
            // Where each service's CPU goes: ./fleet profile reads the recordings once the fleet is stopped.
            Path profiles = Files.createDirectories(data.resolve("profiles"));
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + profiles.resolve(s.label() + ".jfr"));
        }
        command.addAll(List.of("-jar", s.jar(root).toString()));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        data.resolve("logs").resolve(s.logFile()).toFile()));
        Map<String, String> env = pb.environment();
        // glibc gives each thread that allocates its own malloc arena (64 MB reserved, partly touched); a service runs
        // 70 to 150 threads. Two arenas keep native memory to what the JVM uses.
        env.put("MALLOC_ARENA_MAX", "2");
        if (s.name().equals("integration-gateway")) {
            // A fixed mmap threshold: glibc otherwise raises it to the largest block it has unmapped, so after the
            // first password hash (libargon2 takes 19 MiB) the later ones are carved out of an arena whose pages then
            // hold small long-lived allocations and are never given back: 22 MiB more resident after the order bench.
            env.put("MALLOC_MMAP_THRESHOLD_", "131072");
        }
        env.put("QUARKUS_HTTP_PORT", String.valueOf(s.port()));
        env.put("QUARKUS_MANAGEMENT_PORT", String.valueOf(s.managementPort()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        LocalPostgres postgres = databases.server(s.database());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl(s.database()));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl(s.database()));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        // The fleet is a development profile: ProductionGuard does not ask for production secrets there.
        env.put("QUARKUS_PROFILE", "fleet");
        // Each service gets only the keys it needs: every one verifies tokens; only the two that issue tokens (dev
        // tokens at the gateway, supplier API-key exchange at the catalog) hold the signing key, and only the gateway
        // and fulfillment the key tenant secrets are sealed with.
        env.put("MP_JWT_VERIFY_PUBLICKEY", keys.get("MP_JWT_VERIFY_PUBLICKEY"));
        if (s.name().equals("integration-gateway") || s.name().equals("catalog-service")) {
            env.put("SMALLRYE_JWT_SIGN_KEY", keys.get("SMALLRYE_JWT_SIGN_KEY"));
        }
        if (s.name().equals("integration-gateway") || s.name().equals("fulfillment-service")) {
            env.put("DROPSHIP_CRYPTO_KEY", keys.get("DROPSHIP_CRYPTO_KEY"));
        }
        // Every store, supplier and bench client of the local fleet calls from this machine's one address, and the
        // benches drive hundreds of webhooks a second: the limits stay on, sized for that.
        if (otlpEndpoint != null) {
            env.put("QUARKUS_OTEL_SDK_DISABLED", "false");
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
            env.put("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf");
        }
        env.put("DROPSHIP_RATE_LIMIT_ANONYMOUS_PER_SECOND", "2000");
        env.put("DROPSHIP_RATE_LIMIT_ANONYMOUS_BURST", "10000");
        env.put("DROPSHIP_RATE_LIMIT_TENANT_PER_SECOND", "500");
        env.put("DROPSHIP_RATE_LIMIT_TENANT_BURST", "2000");
        if (s.name().equals("integration-gateway")) {
            // Development tokens for any role without a credential: only when asked for, and said loudly.
            env.put("DROPSHIP_DEV_TOKENS_ENABLED", String.valueOf(devTokens));
            // The one API forwards what the other services own to their (internal) ports.
            for (Service other :
                    SERVICES.stream().map(o -> o.instance(s.instance())).toList()) {
                String key = switch (other.name()) {
                    case "catalog-service" -> "CATALOG";
                    case "order-service" -> "ORDER";
                    case "inventory-service" -> "INVENTORY";
                    case "fulfillment-service" -> "FULFILLMENT";
                    case "settlement-service" -> "SETTLEMENT";
                    default -> null;
                };
                if (key != null) {
                    env.put("DROPSHIP_API_" + key + "_URL", "http://127.0.0.1:" + other.port());
                }
            }
            env.put("DROPSHIP_SHOPIFY_ADMIN_URL", fakeStores.shopifyAdminUrlTemplate());
            // The platform as a Shopify app (one-click installs), and where stores send webhooks and redirects.
            env.put("DROPSHIP_SHOPIFY_CLIENT_ID", LOCAL_SHOPIFY_CLIENT_ID);
            env.put("DROPSHIP_SHOPIFY_CLIENT_SECRET", LOCAL_SHOPIFY_CLIENT_SECRET);
            env.put(
                    "DROPSHIP_API_PUBLIC_URL",
                    "http://127.0.0.1:" + SERVICES.get(0).port());
            // Account mails (confirm an e-mail, reset a password) go to the fleet's own mail server; while no admin
            // exists, the local admin is invited there (seedLocalAdmin accepts it).
            env.put("DROPSHIP_ACCOUNTS_FIRST_ADMIN", LOCAL_ADMIN);
            env.put("QUARKUS_MAILER_MOCK", "false");
            env.put("QUARKUS_MAILER_HOST", "127.0.0.1");
            env.put("QUARKUS_MAILER_PORT", String.valueOf(SMTP_PORT));
            // The fleet's fake WooCommerce sites are on this machine.
            env.put("DROPSHIP_WOOCOMMERCE_BLOCK_PRIVATE_ADDRESSES", "false");
        }
        if (s.name().equals("settlement-service")) {
            env.put("DROPSHIP_STRIPE_API_BASE", fakeStores.stripeApiBase());
            env.put("DROPSHIP_STRIPE_SECRET_KEY", LOCAL_STRIPE_KEY);
            env.put("DROPSHIP_STRIPE_WEBHOOK_SECRET", LOCAL_STRIPE_WEBHOOK_SECRET);
        }
        if (s.name().equals("fulfillment-service")) {
            // The local fleet's supplier systems take their callbacks on this machine.
            env.put("DROPSHIP_CALLBACK_BLOCK_PRIVATE_ADDRESSES", "false");
        }
        if (s.name().equals("inventory-service")) {
            // The local fleet's suppliers serve their stock feeds from this machine.
            env.put("DROPSHIP_INVENTORY_FEEDS_BLOCK_PRIVATE_ADDRESSES", "false");
        }
        return pb.start();
    }

    private void awaitHealthy(Instant started) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Map<Service, Boolean> up = new LinkedHashMap<>();
        List<Service> all = all();
        all.forEach(s -> up.put(s, false));
        Instant deadline = Instant.now().plusSeconds(240);
        while (up.containsValue(false)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("not healthy within 240 s: "
                        + up.entrySet().stream()
                                .filter(e -> !e.getValue())
                                .map(e -> e.getKey().label())
                                .toList() + "; see " + data.resolve("logs"));
            }
            for (int i = 0; i < all.size(); i++) {
                Service s = all.get(i);
                if (up.get(s)) {
                    continue;
                }
                if (!services.get(i).process.isAlive()) {
                    throw new IllegalStateException(
                            s.label() + " exited; see " + data.resolve("logs").resolve(s.logFile()));
                }
                if (ready(http, s)) {
                    up.put(s, true);
                    OUT.printf("  %-22s UP    %5.1f s%n", s.label(), seconds(started));
                }
            }
            Thread.sleep(300);
        }
    }

    static boolean ready(HttpClient http, Service s) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(s.managementUrl() + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void status(Path data) throws IOException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Map<String, String[]> run = new LinkedHashMap<>();
        Path file = data.resolve("run.status");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split(" ");
                run.put(f[0], f);
            }
        }
        OUT.printf("%-22s %-6s %-5s %-8s %-8s %s%n", "SERVICE", "PORT", "STATE", "PID", "RESTARTS", "LAST EXIT");
        for (Service s : running(data)) {
            String[] r = run.getOrDefault(s.label(), new String[] {s.label(), "-", "0", "-"});
            OUT.printf(
                    "%-22s %-6d %-5s %-8s %-8s %s%n",
                    s.label(),
                    s.port(),
                    ready(http, s) ? "UP" : "DOWN",
                    r[1],
                    r[2],
                    r.length > 3 ? r[3].replace('_', ' ') : "-");
        }
        for (String database : FleetDatabases.names()) {
            String[] r = run.get(FleetDatabases.label(database));
            boolean up = r != null
                    && ProcessHandle.of(Long.parseLong(r[1]))
                            .map(ProcessHandle::isAlive)
                            .orElse(false);
            OUT.printf(
                    "%-22s %-6d %-5s %-8s%n",
                    FleetDatabases.label(database),
                    FleetDatabases.port(database),
                    up ? "UP" : "DOWN",
                    r == null ? "-" : r[1]);
        }
    }

    /**
     * The RS256 key pair the fleet's tokens are signed with, and the AES key for store secrets at rest;
     * made once, kept under .fleet/keys.
     */
    /** The local fleet's first admin; the gateway invites it (dropship.accounts.first-admin) while no admin exists. */
    static final String LOCAL_ADMIN = "admin@fleet.local";

    /** Where the local admin's password is kept, readable by its owner only. */
    static Path adminPasswordFile(Path data) {
        return data.resolve("keys").resolve("admin-password");
    }

    /** The data directory of the fleet this JVM started, if it started one (the end-to-end test's demo reads it). */
    static volatile Path startedData;

    /**
     * On a fleet's first start there is no admin: the gateway mails the local admin an invitation; the launcher takes
     * it from its own mail server, accepts it with a new random password, keeps that password in
     * .fleet/keys/admin-password and prints it once. Later starts find the file and say where it is.
     */
    private void seedLocalAdmin() throws Exception {
        startedData = data;
        Path file = adminPasswordFile(data);
        if (Files.exists(file)) {
            OUT.println("Sign in as the local admin " + LOCAL_ADMIN + " (POST /api/auth/signin) with the password in "
                    + root.relativize(file) + ".");
            OUT.println();
            return;
        }
        String code = null;
        Instant deadline = Instant.now().plusSeconds(30);
        while (code == null && Instant.now().isBefore(deadline)) {
            for (jakarta.mail.internet.MimeMessage m : mail.getReceivedMessages()) {
                if (java.util.Arrays.stream(m.getAllRecipients())
                                .anyMatch(r -> r.toString().equalsIgnoreCase(LOCAL_ADMIN))
                        && m.getSubject().startsWith("You are invited")) {
                    java.util.regex.Matcher found = java.util.regex.Pattern.compile("code=([A-Za-z0-9_-]+)")
                            .matcher(String.valueOf(m.getContent()));
                    code = found.find() ? found.group(1) : null;
                }
            }
            if (code == null) {
                Thread.sleep(250);
            }
        }
        if (code == null) {
            OUT.println(
                    "No invitation for the local admin arrived (an admin exists already, from an earlier start whose"
                            + " password file was removed?). Reset its password: POST /api/auth/password-reset for "
                            + LOCAL_ADMIN
                            + ", and read the mail by IMAP on port " + IMAP_PORT + ".");
            OUT.println();
            return;
        }
        byte[] random = new byte[18];
        new java.security.SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Api.ok(
                "POST",
                url(SERVICES, "integration-gateway") + "/api/auth/invitations/accept",
                null,
                "{\"code\":\"" + code + "\",\"name\":\"Local admin\",\"password\":\"" + password + "\"}");
        Files.writeString(Files.createFile(file, ownerOnly("rw-------")), password);
        OUT.println("Local admin created: " + LOCAL_ADMIN + " / " + password);
        OUT.println("(printed this once; kept in " + root.relativize(file) + ", readable by you only)");
        OUT.println();
    }

    private Map<String, String> signingKeys() throws Exception {
        Path dir = data.resolve("keys");
        Path pub = dir.resolve("public.pem");
        Path priv = dir.resolve("private.pem");
        if (!Files.exists(pub) || !Files.exists(priv)) {
            Files.createDirectories(dir, ownerOnly("rwx------"));
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.deleteIfExists(priv);
            Files.writeString(
                    Files.createFile(priv, ownerOnly("rw-------")),
                    pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
        }
        Path crypto = dir.resolve("crypto.key");
        if (!Files.exists(crypto)) {
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            Files.writeString(
                    Files.createFile(crypto, ownerOnly("rw-------")),
                    Base64.getEncoder().encodeToString(key));
        }
        // Keys made before the fleet restricted them: only their owner may read them.
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(priv, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(crypto, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return Map.of(
                "MP_JWT_VERIFY_PUBLICKEY",
                Files.readString(pub),
                "SMALLRYE_JWT_SIGN_KEY",
                Files.readString(priv),
                "DROPSHIP_CRYPTO_KEY",
                Files.readString(crypto).trim());
    }

    private static java.nio.file.attribute.FileAttribute<?> ownerOnly(String permissions) {
        return java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString(permissions));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /**
     * One launcher per data directory: a second ./fleet up while the first runs would otherwise take the first one's
     * processes for leftovers of a dead run and stop them.
     */
    private void refuseASecondLauncher() throws IOException {
        Path launcher = data.resolve("run.launcher");
        if (!Files.exists(launcher)) {
            return;
        }
        String pid = Files.readString(launcher).trim();
        Optional<ProcessHandle> running = pid.isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(pid));
        if (running.isPresent()
                && running.get().isAlive()
                && running.get().pid() != ProcessHandle.current().pid()) {
            throw new IllegalStateException("a fleet already runs from " + data + " (launcher pid " + pid
                    + "); stop it first (Ctrl-C in its terminal, or kill " + pid + ")");
        }
    }

    /** A fleet killed without Ctrl-C leaves services and PostgreSQL behind; end them before starting anew. */
    private void stopLeftoversOfAnEarlierRun() throws IOException {
        Path pids = data.resolve("run.pids");
        List<String> leftovers = new ArrayList<>();
        if (Files.exists(pids)) {
            leftovers.addAll(Files.readAllLines(pids));
            Files.delete(pids);
        }
        for (Path postmaster : FleetDatabases.postmasterPidFiles(data)) {
            if (Files.exists(postmaster)) {
                leftovers.add(Files.readAllLines(postmaster).get(0).trim());
            }
        }
        for (String pid : leftovers) {
            if (pid.isBlank()) {
                continue;
            }
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(pid.trim()));
            p.filter(ProcessHandle::isAlive).ifPresent(h -> {
                OUT.println("stopping process " + h.pid() + " left over from an earlier run");
                h.destroy();
                h.onExit()
                        .orTimeout(30, TimeUnit.SECONDS)
                        .exceptionally(e -> {
                            h.destroyForcibly();
                            return h;
                        })
                        .join();
            });
        }
    }

    private synchronized void down() {
        if (stopping) {
            return;
        }
        stopping = true;
        if (supervisor != null) {
            supervisor.interrupt();
            try {
                supervisor.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        OUT.println();
        OUT.println("stopping the fleet...");
        services.forEach(s -> s.process.destroy());
        for (Process p : services.stream().map(s -> s.process).toList()) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (fakeStores != null) {
            fakeStores.close();
        }
        if (mail != null) {
            mail.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (databases != null) {
            databases.close();
        }
        try {
            Files.deleteIfExists(data.resolve("run.pids"));
            Files.deleteIfExists(data.resolve("run.status"));
            Files.deleteIfExists(data.resolve("run.launcher"));
        } catch (IOException ignored) {
            // nothing to clean then
        }
        OUT.println("stopped; data kept in " + root.relativize(data));
    }

    private static void step(String what) {
        OUT.print("• " + what + " ... ");
        OUT.flush();
    }

    private static void done(Instant started) {
        OUT.printf("ready (%.1f s)%n", seconds(started));
    }

    static String url(List<Service> services, String name) {
        return services.stream()
                .filter(s -> s.name().equals(name))
                .findFirst()
                .orElseThrow()
                .url();
    }

    static double seconds(Instant since) {
        return Duration.between(since, Instant.now()).toMillis() / 1000.0;
    }

    /** The fleet's PostgreSQL server of {@code database} (tests start a service against it by hand). */
    LocalPostgres postgres(String database) {
        return databases.server(database);
    }

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** An environment variable, or a system property of the same name (tests set those). */
    private static String stringEnv(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            v = System.getProperty(name);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            v = System.getProperty(name);
        }
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    }
}
