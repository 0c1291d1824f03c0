package io.dropship.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole platform as it runs: the six packaged services as their own processes, on a real PostgreSQL
 * server and a real Kafka broker, with the fake stores, on ports beside the developer's own fleet (offset
 * 200). The story is the demo's: suppliers and listings through the APIs, signed Shopify and WooCommerce
 * webhooks (a duplicate and a forged one among them), a single-supplier order and a split one shipped with
 * their tracking landing at the stores, a race for the last units, a supplier rejection re-routed and a
 * store cancellation releasing its stock, invoices at the end. Every step waits for the state it expects
 * and fails with the last answer it saw. Runs after the services are packaged (deploy is built last).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetEndToEndIT {

    static {
        System.setProperty("FLEET_PORT_OFFSET", "200");
        System.setProperty("FLEET_POSTGRES_PORT", "25432");
        System.setProperty("FLEET_KAFKA_PORT", "29092");
    }

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path DATA = ROOT.resolve("deploy/target/e2e-fleet");
    private static Fleet fleet;
    /** A stand-in OpenTelemetry collector: the services export their spans here (OTLP over HTTP, protobuf). */
    private static com.sun.net.httpserver.HttpServer collector;

    private static final List<io.opentelemetry.proto.trace.v1.ResourceSpans> SPANS =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    @BeforeAll
    static void startTheFleet() throws Exception {
        collector = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                if (exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                    SPANS.addAll(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(body)
                            .getResourceSpansList());
                }
                byte[] answer =
                        io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse.getDefaultInstance()
                                .toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        collector.start();
        System.setProperty(
                "FLEET_OTLP_ENDPOINT",
                "http://127.0.0.1:" + collector.getAddress().getPort());
        for (Fleet.Service s : Fleet.SERVICES) {
            assertTrue(
                    Files.exists(s.jar(ROOT)),
                    s.jar(ROOT) + " is missing: the services are packaged before this test runs");
        }
        deleteRecursively(DATA);
        fleet = Fleet.start(ROOT, DATA);
    }

    @AfterAll
    static void stopTheFleet() {
        if (fleet != null) {
            fleet.stop();
        }
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    @Order(0)
    void aPackagedServiceRefusesToStartInProductionWithDefaultOrMissingSecrets() throws Exception {
        Fleet.Service settlement = Fleet.SERVICES.stream()
                .filter(s -> s.name().equals("settlement-service"))
                .findFirst()
                .orElseThrow();
        var postgres = fleet.postgres("settlement");
        ProcessBuilder pb = new ProcessBuilder(
                        Fleet.javaBin(),
                        "-Xmx256m",
                        "-jar",
                        settlement.jar(ROOT).toString())
                .redirectErrorStream(true);
        pb.environment().clear();
        // The fleet's database with the repository's password, no Stripe keys, no token key: the prod profile.
        pb.environment()
                .putAll(java.util.Map.of(
                        "QUARKUS_HTTP_PORT",
                        "0",
                        "KAFKA_BOOTSTRAP_SERVERS",
                        "127.0.0.1:1",
                        "QUARKUS_DATASOURCE_REACTIVE_URL",
                        postgres.reactiveUrl("settlement"),
                        "QUARKUS_DATASOURCE_JDBC_URL",
                        postgres.jdbcUrl("settlement"),
                        "QUARKUS_DATASOURCE_USERNAME",
                        postgres.user(),
                        "QUARKUS_DATASOURCE_PASSWORD",
                        "postgres",
                        "DROPSHIP_OUTBOX_RELAY_ENABLED",
                        "false"));
        Process p = pb.start();
        String output;
        try (var in = p.getInputStream()) {
            assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "a refused start ends");
            output = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
        }
        assertTrue(p.exitValue() != 0, output);
        assertTrue(output.contains("refusing to start in production"), output);
        assertTrue(output.contains("quarkus.datasource.password has a value from the repository"), output);
        assertTrue(output.contains("mp.jwt.verify.publickey or mp.jwt.verify.publickey.location is not set"), output);
        assertTrue(output.contains("dropship.stripe.secret-key is not set"), output);
        assertTrue(output.contains("dropship.stripe.webhook-secret is not set"), output);
        // Production logs are JSON, one object a line, with the level, the logger and the message.
        com.fasterxml.jackson.databind.JsonNode refusal = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("{") && line.contains("refusing to start in production")) {
                refusal = Api.JSON.readTree(line);
            }
        }
        assertTrue(refusal != null, "no JSON log line says why the start was refused:\n" + output);
        assertEquals("ERROR", refusal.path("level").asText(), refusal.toString());
        assertTrue(refusal.hasNonNull("timestamp") && refusal.hasNonNull("loggerName"), refusal.toString());
    }

    @Test
    @Order(1)
    void anOrderCrossesFromTheGatewayToOrderService() {
        assertTrue(Smoke.run(Fleet.SERVICES), "smoke: see the output above");
    }

    /** The one API on the gateway's port: its document, and single sign-on answering plainly where no provider is set up. */
    @Test
    @Order(1)
    void theGatewayServesTheOneApiDocumentAndSaysWhenSingleSignOnIsNotSetUp() throws Exception {
        String gateway = Fleet.url(Fleet.SERVICES, "integration-gateway");
        Api.Answer document = Api.call("GET", gateway + "/api/openapi.json", null, null);
        assertEquals(200, document.status());
        assertEquals("Dropship API", document.body().at("/info/title").asText());
        assertTrue(document.body()
                .at("/paths/~1api~1catalog~1products/get/x-dropship-service")
                .asText()
                .equals("catalog-service"));
        Api.Answer sso = Api.call("GET", gateway + "/api/auth/sso/signin", null, null);
        assertEquals(404, sso.status(), String.valueOf(sso.body()));
        assertEquals(
                "urn:dropship:problem:sso-not-configured",
                sso.body().get("type").asText());
    }

    @Test
    @Order(2)
    void theOrderFlowRunsEndToEndAcrossAllSixServicesAndTheStores() {
        String failure = Demo.failure(Fleet.SERVICES);
        assertTrue(failure == null, () -> "the order flow failed: " + failure + "\n" + lastProblems());
    }

    /**
     * One trace follows an order across all six services: the store's webhook at the gateway, and from there, through
     * the outbox rows and the Kafka headers, every consumer that takes part (order routing, inventory's reservation,
     * settlement's charge, fulfillment's dispatch, catalog's stock projection) and the events each writes.
     */
    @Test
    @Order(3)
    void oneTraceFollowsAnOrderThroughAllSixServices() {
        java.util.Set<String> six =
                Fleet.SERVICES.stream().map(Fleet.Service::name).collect(java.util.stream.Collectors.toSet());
        java.util.Map<String, java.util.Set<String>> servicesPerTrace = new java.util.HashMap<>();
        java.util.Map<String, java.util.Set<String>> spansPerTrace = new java.util.HashMap<>();
        java.util.concurrent.atomic.AtomicReference<java.util.Optional<String>> found =
                new java.util.concurrent.atomic.AtomicReference<>(java.util.Optional.empty());
        try {
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(60))
                    .pollInterval(java.time.Duration.ofSeconds(1))
                    .until(() -> {
                        servicesPerTrace.clear();
                        synchronized (SPANS) {
                            for (var resource : SPANS) {
                                String service = resource.getResource().getAttributesList().stream()
                                        .filter(a -> a.getKey().equals("service.name"))
                                        .map(a -> a.getValue().getStringValue())
                                        .findFirst()
                                        .orElse("?");
                                for (var scope : resource.getScopeSpansList()) {
                                    for (var span : scope.getSpansList()) {
                                        String trace = java.util.HexFormat.of()
                                                .formatHex(span.getTraceId().toByteArray());
                                        servicesPerTrace
                                                .computeIfAbsent(trace, k -> new java.util.TreeSet<>())
                                                .add(service);
                                        spansPerTrace
                                                .computeIfAbsent(trace, k -> new java.util.TreeSet<>())
                                                .add(service + ": " + span.getName());
                                    }
                                }
                            }
                        }
                        found.set(servicesPerTrace.entrySet().stream()
                                .filter(e -> e.getValue().containsAll(six))
                                .map(java.util.Map.Entry::getKey)
                                .findFirst());
                        return found.get().isPresent();
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // answered below, with the widest trace there was
        }
        java.util.Optional<String> whole = found.get();
        String widest = servicesPerTrace.entrySet().stream()
                .max(Comparator.comparingInt(e -> e.getValue().size()))
                .map(e -> e.getKey() + " " + e.getValue())
                .orElse("no spans at all");
        assertTrue(whole.isPresent(), "no trace reaches all six services; the widest: " + widest);
        System.out.println("trace " + whole.get() + " crosses all six services in "
                + spansPerTrace.get(whole.get()).size() + " distinct spans: " + spansPerTrace.get(whole.get()));
    }

    /**
     * Every metric an alert rule or a Grafana dashboard names exists on the running fleet (after the demo, so every
     * consumer has started), and the rules pass promtool where Prometheus is installed.
     */
    @Test
    @Order(3)
    void everyMetricTheAlertRulesAndDashboardsNameExistsOnTheFleet() throws Exception {
        StringBuilder named_in = new StringBuilder(Files.readString(ROOT.resolve("deploy/observability/alerts.yml")));
        try (Stream<Path> dashboards = Files.list(ROOT.resolve("deploy/observability/dashboards"))) {
            for (Path d : dashboards.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (com.fasterxml.jackson.databind.JsonNode expr :
                        Api.JSON.readTree(d.toFile()).findValues("expr")) {
                    named_in.append('\n').append(expr.asText());
                }
            }
        }
        String rules = named_in.toString();
        java.util.Set<String> named = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                        "\\b(dropship_[a-z_]+|http_server_requests_seconds_[a-z]+"
                                + "|kafka_consumer_[a-z_]+|jvm_[a-z_]+)\\b")
                .matcher(rules);
        while (m.find()) {
            named.add(m.group(1));
        }
        StringBuilder scraped = new StringBuilder();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (Fleet.Service s : Fleet.SERVICES) {
            scraped.append(http.send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.managementUrl() + "/q/metrics"))
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString())
                    .body());
        }
        java.util.Set<String> exposed = new java.util.HashSet<>();
        for (String line : scraped.toString().split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        List<String> missing = named.stream().filter(n -> !exposed.contains(n)).toList();
        assertTrue(named.size() >= 10, "the rules name metrics: " + named);
        assertEquals(
                List.of(),
                missing,
                "metrics named in deploy/observability (alerts, dashboards) that no service exposes");
        java.util.Optional<Path> promtool = Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "promtool"))
                .filter(Files::isExecutable)
                .findFirst();
        if (promtool.isPresent()) {
            Process p = new ProcessBuilder(
                            promtool.get().toString(),
                            "check",
                            "rules",
                            ROOT.resolve("deploy/observability/alerts.yml").toString())
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), out);
        }
    }

    /**
     * A restarted fleet works like a fresh one: stopped and started again on the data it kept, the same story runs
     * again (the fakes mint ids that never repeat, as the real stores and Stripe do).
     */
    @Test
    @Order(4)
    void theStoryRunsAgainAfterTheFleetRestartsOnItsKeptData() throws Exception {
        fleet.stop();
        fleet = null;
        fleet = Fleet.start(ROOT, DATA);
        String failure = Demo.failure(Fleet.SERVICES);
        assertTrue(failure == null, () -> "the order flow failed after a restart: " + failure + "\n" + lastProblems());
    }

    /**
     * A small chaos run in every build: signed orders with duplicates, late deliveries and cancellations that arrive
     * before their payment, while order-service is SIGKILLed (the launcher restarts it) and PostgreSQL restarts; then
     * nothing lost, nothing done twice, no stock oversold, no double charge or transfer, no dead letter left.
     */
    @Test
    @Order(5)
    void theFleetRidesOutAKilledServiceAPostgresRestartAndReorderedWebhooks() throws Exception {
        Chaos.Result result = Chaos.run(
                Fleet.SERVICES,
                DATA,
                40,
                4,
                List.of(
                        new Chaos.Fault("SIGKILL order-service", "order-service"),
                        new Chaos.Fault("restart PostgreSQL", "postgresql")));
        assertTrue(
                result.figures().get("orders accepted by the gateway") >= 36,
                result.figures().toString());
        for (String mustBeZero : Chaos.MUST_BE_ZERO) {
            assertEquals(0L, result.figures().get(mustBeZero), mustBeZero + ": " + result.figures());
        }
    }

    /**
     * The last warnings and errors of each service's log, one line each, so that a failure in CI, where only the
     * output's tail is kept, says what the services saw.
     */
    private static String lastProblems() {
        StringBuilder out = new StringBuilder("last warnings and errors in " + DATA.resolve("logs") + ":");
        for (Fleet.Service s : Fleet.SERVICES) {
            Path log = DATA.resolve("logs").resolve(s.name() + ".log");
            try (Stream<String> lines = Files.lines(log, java.nio.charset.StandardCharsets.UTF_8)) {
                List<String> problems = lines.filter(l -> l.contains(" WARN ") || l.contains(" ERROR "))
                        .toList();
                for (String l : problems.subList(Math.max(0, problems.size() - 4), problems.size())) {
                    out.append("\n  ")
                            .append(s.name())
                            .append(": ")
                            .append(l.length() > 400 ? l.substring(0, 400) + "..." : l);
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                out.append("\n  ").append(s.name()).append(": log not read: ").append(e);
            }
        }
        return out.toString();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
