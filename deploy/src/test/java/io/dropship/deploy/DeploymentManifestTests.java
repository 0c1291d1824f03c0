package io.dropship.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps deploy/k8s true without a cluster: the services' manifests are the ones quarkus-kubernetes generates, every
 * resource parses against its schema, kustomize builds every overlay, every environment variable a manifest sets is a
 * configuration property the service reads, every topic has its KafkaTopic, and the PrometheusRule is the alert rules.
 *
 * <p>Run with {@code -Dk8s.write=true} to rewrite the generated files (services/*.yml, prometheus-rule.yaml) after a
 * change to the services' build configuration or to the alert rules.
 */
class DeploymentManifestTests {

    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final Path OBSERVABILITY = ROOT.resolve("deploy/observability");
    static final List<String> SERVICES = List.of(
            "catalog-service",
            "order-service",
            "inventory-service",
            "fulfillment-service",
            "settlement-service",
            "integration-gateway");
    static final boolean WRITE = Boolean.getBoolean("k8s.write");
    static final YAMLMapper YAML = YAMLMapper.builder(YAMLFactory.builder()
                    .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                    .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
                    .build())
            .build();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Set by Quarkus itself from the pod's namespace, not configuration the service reads. */
    static final Set<String> SET_BY_QUARKUS_KUBERNETES = Set.of("KUBERNETES_NAMESPACE");

    static String kubectl;

    @BeforeAll
    static void findKubectl() {
        kubectl = Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .map(d -> Path.of(d, "kubectl"))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst()
                .orElse(null);
        System.out.println(
                kubectl == null
                        ? "kubectl not on PATH: the kustomize builds are not checked here"
                        : "kustomize builds checked with " + kubectl);
    }

    @Test
    void theServicesManifestsAreTheOnesQuarkusGenerates() throws IOException {
        for (String service : SERVICES) {
            Path generated = ROOT.resolve(service).resolve("target/kubernetes/kubernetes.yml");
            assertTrue(Files.exists(generated), generated + " is missing: build the service first (./mvnw package)");
            Path committed = K8S.resolve("base/services/" + service + ".yml");
            String expected = Files.readString(generated);
            if (WRITE) {
                Files.writeString(committed, expected);
            }
            // quarkus-kubernetes does not keep the order of labels, ports or envFrom entries from one build to the
            // next:
            // compare what the documents say, lists as sets (our ConfigMaps and Secrets hold disjoint keys).
            assertEquals(
                    canonical(expected),
                    canonical(Files.readString(committed)),
                    committed + " differs from what"
                            + " quarkus-kubernetes generates; run this test with -Dk8s.write=true and commit the result");
        }
    }

    static List<String> canonical(String yaml) throws IOException {
        List<String> docs = new ArrayList<>();
        for (JsonNode d : documents(yaml)) {
            docs.add(canonical(d).toString());
        }
        return docs;
    }

    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode sorted = JSON.createObjectNode();
            TreeSet<String> names = new TreeSet<>();
            node.fieldNames().forEachRemaining(names::add);
            names.forEach(k -> sorted.set(k, canonical(node.get(k))));
            return sorted;
        }
        if (node.isArray()) {
            ArrayNode sorted = JSON.createArrayNode();
            List<JsonNode> items = new ArrayList<>();
            node.forEach(n -> items.add(canonical(n)));
            items.sort(java.util.Comparator.comparing(JsonNode::toString));
            sorted.addAll(items);
            return sorted;
        }
        return node;
    }

    @Test
    void thePrometheusRuleIsTheAlertRules() throws IOException {
        ObjectNode rule = JSON.createObjectNode();
        rule.put("apiVersion", "monitoring.coreos.com/v1");
        rule.put("kind", "PrometheusRule");
        rule.putObject("metadata").put("name", "dropship-alerts");
        rule.set("spec", YAML.readTree(OBSERVABILITY.resolve("alerts.yml").toFile()));
        String expected =
                "# Written by DeploymentManifestTests from deploy/observability/alerts.yml: edit that, then run it with\n"
                        + "# -Dk8s.write=true.\n" + YAML.writeValueAsString(rule);
        Path committed = K8S.resolve("components/prometheus-operator/prometheus-rule.yaml");
        if (WRITE || !Files.exists(committed)) {
            Files.writeString(committed, expected);
        }
        assertEquals(
                expected,
                Files.readString(committed),
                "the PrometheusRule differs from alerts.yml; run this test with -Dk8s.write=true");
    }

    @Test
    void kustomizeBuildsEveryOverlayAndEveryResourceMatchesItsSchema() throws Exception {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        // Every resource file a kustomization names, as written.
        for (Path file : resourceFiles()) {
            for (JsonNode doc : documents(Files.readString(file))) {
                checked++;
                problems.addAll(validate(doc).stream()
                        .map(p -> ROOT.relativize(file) + ": " + p)
                        .toList());
            }
        }
        // And what kustomize makes of them, overlays' patches included.
        if (kubectl != null) {
            for (Map.Entry<String, String> build : kustomizeBuilds().entrySet()) {
                List<JsonNode> docs = documents(build.getValue());
                assertTrue(docs.size() > 50, build.getKey() + " built only " + docs.size() + " resources");
                for (JsonNode doc : docs) {
                    checked++;
                    problems.addAll(validate(doc).stream()
                            .map(p -> build.getKey() + " (built): " + p)
                            .toList());
                }
            }
        }
        System.out.println("checked " + checked + " Kubernetes resources against their schemas");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyEnvironmentVariableAManifestSetsIsAPropertyTheServiceReads() throws Exception {
        Map<String, Set<String>> delivered = environmentPerService();
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            KnownProperties known = KnownProperties.of(ROOT.resolve(service));
            for (String env : delivered.get(service)) {
                if (!SET_BY_QUARKUS_KUBERNETES.contains(env) && !known.reads(env)) {
                    problems.add(service + " does not read " + env);
                }
            }
            // And the other way round: a production start needs its secrets (ProductionGuard), so they are delivered.
            for (String secret : known.productionSecrets()) {
                boolean provided = Stream.of(secret.split("\\|"))
                        .map(KnownProperties::envForm)
                        .anyMatch(delivered.get(service)::contains);
                if (!provided) {
                    problems.add(service + " needs " + secret + " in production and no manifest or secret sets it");
                }
            }
            System.out.println(service + ": " + delivered.get(service).size() + " environment variables, each read");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * The library classes the platform carries fixed copies of (platform-debezium-queue, platform-hibernate-plans) are
     * the copies in every built service: removed-resources took the originals out of the libraries' jars. A test of
     * platform-outbox cannot show it: in test mode Quarkus loads Hibernate's classes from the libraries' own jars.
     */
    @Test
    void everyServiceShipsThePlatformsFixedCopiesOfLibraryClasses() throws Exception {
        Map<String, String> copies = Map.of(
                "io/debezium/connector/base/ChangeEventQueue.class", "io.dropship.platform-debezium-queue-",
                "io/debezium/pipeline/meters/CommonEventMeter.class", "io.dropship.platform-debezium-queue-",
                "io/debezium/connector/postgresql/PostgresStreamingChangeEventSource.class",
                        "io.dropship.platform-debezium-queue-",
                "org/hibernate/reactive/sql/results/ReactiveResultSetMapping.class",
                        "io.dropship.platform-hibernate-plans-",
                "org/hibernate/query/results/internal/implicit/ImplicitResultClassBuilder.class",
                        "io.dropship.platform-hibernate-plans-");
        List<String> problems = new ArrayList<>();
        for (String service : SERVICES) {
            Path lib = ROOT.resolve(service).resolve("target/quarkus-app/lib/main");
            assertTrue(Files.isDirectory(lib), lib + " is missing: build the service first (./mvnw package)");
            List<Path> jars;
            try (Stream<Path> files = Files.list(lib)) {
                jars = files.filter(p -> p.toString().endsWith(".jar")).toList();
            }
            for (Map.Entry<String, String> copy : copies.entrySet()) {
                List<String> holders = new ArrayList<>();
                for (Path jar : jars) {
                    try (JarFile j = new JarFile(jar.toFile())) {
                        if (j.getEntry(copy.getKey()) != null) {
                            holders.add(jar.getFileName().toString());
                        }
                    }
                }
                if (holders.size() != 1 || !holders.get(0).startsWith(copy.getValue())) {
                    problems.add(service + ": " + copy.getKey() + " in " + holders + ", expected only in "
                            + copy.getValue() + "*");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyTopicHasAKafkaTopicAndEveryKafkaTopicATopic() throws IOException {
        Set<String> topics = new TreeSet<>();
        // Every event's topic (contracts/events holds a schema per event, ContractCheckTests checks EVENTS names them).
        topics.addAll(io.dropship.contracts.ContractCheck.TOPICS);
        Pattern dlt = Pattern.compile("mp\\.messaging\\.incoming\\.[^.]+\\.dead-letter-queue\\.topic");
        for (String service : SERVICES) {
            Properties p = load(ROOT.resolve(service).resolve("src/main/resources/application.properties"));
            for (String key : p.stringPropertyNames()) {
                if (!dlt.matcher(key).matches()) {
                    continue;
                }
                // A channel over several topics names each topic's dead-letter topic after it: {topic}.<service>.DLT.
                String channel = key.substring(0, key.length() - "dead-letter-queue.topic".length());
                String read = p.getProperty(channel + "topics", p.getProperty(channel + "topic", ""));
                for (String topic : read.split(",")) {
                    topics.add(p.getProperty(key).replace("{topic}", topic.trim()));
                }
            }
            // A handler sharing a consumer with others (BatchHandlers) names its dead-letter topic itself.
            for (String key : p.stringPropertyNames()) {
                if (key.startsWith("dropship.handlers.") && key.endsWith(".dead-letter-topic")) {
                    topics.add(p.getProperty(key));
                }
            }
        }
        Set<String> declared = new TreeSet<>();
        for (JsonNode doc : documents(Files.readString(K8S.resolve("base/kafka/topics.yaml")))) {
            declared.add(doc.at("/spec/topicName").asText());
        }
        assertEquals(topics, declared, "deploy/k8s/base/kafka/topics.yaml and the topics the services use");
    }

    @Test
    void theEventSchemasConfigMapHoldsEverySchema() throws IOException {
        Set<String> schemas;
        try (Stream<Path> files = Files.list(ROOT.resolve("contracts/events"))) {
            schemas = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".schema.json"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        JsonNode k = YAML.readTree(
                ROOT.resolve("contracts/events/kustomization.yaml").toFile());
        Set<String> listed = new TreeSet<>();
        k.at("/configMapGenerator/0/files").forEach(f -> listed.add(f.asText()));
        assertEquals(schemas, listed, "contracts/events/kustomization.yaml lists every event schema");
    }

    /**
     * The single-host compose file: valid against the Compose specification, the services' images and variables (each
     * one a property the service reads), a PostgreSQL server of its own for each service, every file and volume it
     * mounts present, and Prometheus scraping every service's management port under the job name the rules and
     * dashboards use.
     */
    @Test
    void theComposeFileRunsTheSameImagesWithWhatEachServiceReads() throws Exception {
        Path dir = ROOT.resolve("deploy/compose");
        JsonNode compose = YAML.readTree(dir.resolve("compose.yaml").toFile());
        ObjectNode specSchema = (ObjectNode)
                JSON.readTree(dir.resolve("schema/compose-spec.json").toFile());
        specSchema.put("$id", "https://compose-spec.io/compose_spec.json"); // the file's relative $id is no URI
        JsonSchema spec =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(specSchema);
        Set<ValidationMessage> invalid = spec.validate(compose);
        assertTrue(invalid.isEmpty(), "compose.yaml against the Compose specification: " + invalid);

        List<String> problems = new ArrayList<>();
        Set<String> servers = new TreeSet<>();
        JsonNode prometheus = YAML.readTree(dir.resolve("prometheus.yml").toFile());
        for (String service : SERVICES) {
            JsonNode s = compose.at("/services/" + service);
            if (s.isMissingNode()) {
                problems.add("compose.yaml runs no " + service);
                continue;
            }
            if (!s.path("image").asText().startsWith("dropship/" + service + ":")) {
                problems.add(service + ": image " + s.path("image").asText() + " is not the one the build makes");
            }
            // Its own PostgreSQL server, as its own CloudNativePG cluster in Kubernetes: the server named in its URL
            // holds only its database, and the service waits for it.
            java.util.regex.Matcher url = java.util.regex.Pattern.compile("^postgresql://([^:/]+):5432/(\\w+)$")
                    .matcher(
                            s.at("/environment/QUARKUS_DATASOURCE_REACTIVE_URL").asText());
            if (!url.matches()) {
                problems.add(service + ": QUARKUS_DATASOURCE_REACTIVE_URL names no server and database");
            } else {
                String server = url.group(1);
                String database = url.group(2);
                JsonNode db = compose.at("/services/" + server);
                if (!db.path("image").asText().startsWith("postgres:")
                        || !db.at("/environment/DROPSHIP_DB_NAME").asText().equals(database)) {
                    problems.add(service + ": " + server + " is not a PostgreSQL server made for " + database);
                }
                if (!servers.add(server)) {
                    problems.add(service + " shares its PostgreSQL server " + server + " with another service");
                }
                if (!s.at("/depends_on/" + server + "/condition").asText().equals("service_healthy")) {
                    problems.add(service + " does not wait for " + server + " to be healthy");
                }
                if (!s.at("/environment/QUARKUS_DATASOURCE_JDBC_URL")
                        .asText()
                        .equals("jdbc:postgresql://" + server + ":5432/" + database)) {
                    problems.add(service + ": its JDBC URL (Flyway's) is not its reactive URL's server and database");
                }
            }
            KnownProperties known = KnownProperties.of(ROOT.resolve(service));
            Set<String> env = new TreeSet<>();
            s.path("environment").fieldNames().forEachRemaining(env::add);
            env.stream().filter(e -> !known.reads(e)).forEach(e -> problems.add(service + " does not read " + e));
            for (String secret : known.productionSecrets()) {
                if (Stream.of(secret.split("\\|")).map(KnownProperties::envForm).noneMatch(env::contains)) {
                    problems.add(service + " needs " + secret + " in production and compose.yaml does not set it");
                }
            }
            String port = load(ROOT.resolve(service).resolve("src/main/resources/application.properties"))
                    .getProperty("quarkus.management.port");
            boolean scraped = false;
            for (JsonNode job : prometheus.path("scrape_configs")) {
                if (job.path("job_name").asText().equals("dropship-" + service)) {
                    scraped = job.toString().contains("\"" + service + ":" + port + "\"")
                            && job.path("metrics_path").asText().equals("/q/metrics");
                }
            }
            if (!scraped) {
                problems.add(
                        "prometheus.yml does not scrape " + service + ":" + port + "/q/metrics as dropship-" + service);
            }
        }
        for (JsonNode s : compose.path("services")) {
            for (JsonNode v : s.path("volumes")) {
                String source = v.asText().split(":")[0];
                if (source.startsWith(".") && !Files.exists(dir.resolve(source))) {
                    problems.add("compose.yaml mounts " + source + ", which does not exist");
                } else if (!source.startsWith(".")
                        && !source.startsWith("/")
                        && !compose.at("/volumes").has(source)) {
                    problems.add("compose.yaml mounts the volume " + source + ", which it does not declare");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    // --- what the manifests deliver to each service -------------------------------------------------------------

    /** Every variable each service's container gets: its ConfigMaps' and Secrets' keys and its env entries. */
    static Map<String, Set<String>> environmentPerService() throws IOException {
        Map<String, Set<String>> perService = new LinkedHashMap<>();
        Set<String> shared = new TreeSet<>(envFileKeys(K8S.resolve("base/config/shared.env")));
        shared.addAll(envFileKeys(K8S.resolve("secrets/dropship-shared.env.example")));
        shared.addAll(literalKeys("dropship-shared"));
        for (String service : SERVICES) {
            Set<String> env = new TreeSet<>(shared);
            env.addAll(envFileKeys(K8S.resolve("base/config/" + service + ".env")));
            env.addAll(envFileKeys(K8S.resolve("secrets/" + service + ".env.example")));
            env.addAll(literalKeys(service));
            for (JsonNode doc : documents(Files.readString(K8S.resolve("base/services/" + service + ".yml")))) {
                if (doc.path("kind").asText().equals("Deployment")) {
                    doc.at("/spec/template/spec/containers/0/env")
                            .forEach(e -> env.add(e.path("name").asText()));
                }
            }
            perService.put(service, env);
        }
        return perService;
    }

    /** Keys that overlays and components merge into a ConfigMap with literals. */
    static Set<String> literalKeys(String configMap) throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Path k : kustomizations()) {
            for (JsonNode generator : YAML.readTree(k.toFile()).path("configMapGenerator")) {
                if (generator.path("name").asText().equals(configMap)) {
                    generator.path("literals").forEach(l -> keys.add(l.asText().split("=", 2)[0]));
                }
            }
        }
        return keys;
    }

    static Set<String> envFileKeys(Path file) throws IOException {
        Set<String> keys = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) {
                assertTrue(l.contains("="), file + ": not KEY=value: " + l);
                keys.add(l.substring(0, l.indexOf('=')));
            }
        }
        return keys;
    }

    // --- schemas ---------------------------------------------------------------------------------------------------

    static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();
    static final Map<String, JsonSchema> CRD_SCHEMAS = new HashMap<>();

    static List<String> validate(JsonNode doc) throws IOException {
        String apiVersion = doc.path("apiVersion").asText();
        String kind = doc.path("kind").asText();
        String name = kind + " " + doc.at("/metadata/name").asText();
        if (apiVersion.isEmpty()
                || kind.isEmpty()
                || doc.at("/metadata/name").asText().isEmpty()) {
            return List.of(name + ": apiVersion, kind and metadata.name are required");
        }
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        if (group.endsWith("strimzi.io") || group.endsWith("cnpg.io") || group.equals("monitoring.coreos.com")) {
            JsonSchema schema = crdSchema(group, apiVersion.substring(apiVersion.indexOf('/') + 1), kind);
            if (schema == null) {
                return List.of(name + ": no schema for " + apiVersion + " " + kind + " in deploy/k8s/schemas");
            }
            return schema.validate(doc).stream()
                    .map(m -> name + ": " + m.getMessage())
                    .toList();
        }
        HasMetadata parsed = KUBERNETES.unmarshal(JSON.writeValueAsString(doc));
        if (parsed instanceof GenericKubernetesResource) {
            return List.of(name + ": " + apiVersion + " " + kind + " is not a Kubernetes kind the fabric8 model knows");
        }
        List<String> unknown = new ArrayList<>();
        unknownFields(parsed, kind, unknown, 0);
        // What the model made of the document must be the document: no field lost or renamed, no type coerced.
        JsonNode back = JSON.readTree(KUBERNETES.asJson(parsed));
        if (!sameValues(doc, back)) {
            unknown.add("does not read back as written (a field of the wrong type?): " + back);
        }
        return unknown.stream().map(u -> name + ": " + u).toList();
    }

    /** The fabric8 model keeps fields it does not know in additionalProperties: each one is a typo or a wrong place. */
    static void unknownFields(Object o, String path, List<String> out, int depth) {
        if (o == null || depth > 40) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", out, depth + 1);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, out, depth + 1));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method m : o.getClass().getMethods()) {
            if (m.getParameterCount() != 0
                    || Modifier.isStatic(m.getModifiers())
                    || !m.getName().startsWith("get")
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            try {
                Object v = m.invoke(o);
                if (m.getName().equals("getAdditionalProperties")) {
                    if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        out.add(path + ": unknown field(s) " + extra.keySet());
                    }
                } else {
                    unknownFields(v, path + "." + decapitalize(m.getName().substring(3)), out, depth + 1);
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static boolean sameValues(JsonNode written, JsonNode read) {
        if (written.isObject()) {
            for (Map.Entry<String, JsonNode> f : written.properties()) {
                JsonNode other = read.get(f.getKey());
                if (other == null) {
                    if (!f.getValue().isNull()
                            && !(f.getValue().isContainerNode() && f.getValue().isEmpty())) {
                        return false;
                    }
                } else if (!sameValues(f.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (written.isArray()) {
            if (!read.isArray() || read.size() != written.size()) {
                return false;
            }
            for (int i = 0; i < written.size(); i++) {
                if (!sameValues(written.get(i), read.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return written.asText().equals(read.asText());
    }

    static JsonSchema crdSchema(String group, String version, String kind) throws IOException {
        String key = group + "_" + version + "_" + kind;
        if (!CRD_SCHEMAS.containsKey(key)) {
            Path file = K8S.resolve("schemas/" + key + ".json");
            if (!Files.exists(file)) {
                return null;
            }
            JsonNode schema = strict(JSON.readTree(file.toFile()));
            CRD_SCHEMAS.put(
                    key,
                    JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema));
        }
        return CRD_SCHEMAS.get(key);
    }

    /**
     * The API server drops (or with strict field validation refuses) fields a CRD does not declare; a schema
     * validator would let them pass. Closing every declared object makes a misspelt or misplaced field an error.
     */
    static JsonNode strict(JsonNode schema) {
        return strict(schema, false);
    }

    /** A branch of oneOf/anyOf/allOf names only the fields it constrains: it stays open, the object around it closes. */
    static JsonNode strict(JsonNode schema, boolean branch) {
        if (schema instanceof ObjectNode o) {
            boolean open = o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (o.has("properties") && !o.has("additionalProperties") && !open && !branch) {
                o.set("additionalProperties", BooleanNode.FALSE);
            }
            if (open) {
                o.remove("additionalProperties");
            }
            o.properties().forEach(e -> {
                boolean combinator = Set.of("oneOf", "anyOf", "allOf").contains(e.getKey());
                if (combinator) {
                    e.getValue().forEach(b -> strict(b, true));
                } else {
                    strict(e.getValue(), false);
                }
            });
        } else if (schema instanceof ArrayNode a) {
            a.forEach(s -> strict(s, false));
        }
        return schema;
    }

    // --- files -----------------------------------------------------------------------------------------------------

    static List<Path> kustomizations() throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path dir : List.of(K8S, OBSERVABILITY, ROOT.resolve("contracts/events"))) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(p -> p.getFileName().toString().equals("kustomization.yaml"))
                        .forEach(all::add);
            }
        }
        return all;
    }

    /** The files the kustomizations name as resources (directories are kustomizations of their own). */
    static Set<Path> resourceFiles() throws IOException {
        Set<Path> files = new LinkedHashSet<>();
        for (Path k : kustomizations()) {
            for (JsonNode r : YAML.readTree(k.toFile()).path("resources")) {
                Path p = k.getParent().resolve(r.asText()).normalize();
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        return files;
    }

    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(yaml)) {
            var it = YAML.readValues(parser, JsonNode.class);
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isEmpty()) {
                    docs.add(d);
                }
            }
        }
        return docs;
    }

    /** kubectl kustomize of the base, each overlay, and the base with each component. */
    static Map<String, String> kustomizeBuilds() throws Exception {
        Map<String, String> builds = new LinkedHashMap<>();
        List<String> targets = new ArrayList<>(List.of("base"));
        try (Stream<Path> overlays = Files.list(K8S.resolve("overlays"))) {
            overlays.sorted().forEach(o -> targets.add("overlays/" + o.getFileName()));
        }
        Path scratch = Path.of("target/kustomize-components");
        try (Stream<Path> components = Files.list(K8S.resolve("components"))) {
            for (Path c : components.sorted().toList()) {
                Path dir = scratch.resolve(c.getFileName().toString());
                Files.createDirectories(dir);
                Files.writeString(
                        dir.resolve("kustomization.yaml"),
                        "resources:\n  - "
                                + dir.toAbsolutePath().relativize(K8S.resolve("base")) + "\ncomponents:\n  - "
                                + dir.toAbsolutePath().relativize(c) + "\n");
                targets.add(dir.toAbsolutePath().toString());
            }
        }
        for (String target : targets) {
            Path dir = target.startsWith("/") ? Path.of(target) : K8S.resolve(target);
            Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectErrorStream(false)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + dir + " took over a minute");
            if (p.exitValue() != 0) {
                fail("kubectl kustomize " + dir + " failed:\n" + err);
            }
            builds.put(ROOT.relativize(dir).toString(), out);
        }
        return builds;
    }

    static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return p;
    }

    static String decapitalize(String s) {
        return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
    }

    // --- what a service reads ----------------------------------------------------------------------------------------

    /**
     * The configuration a built service reads, from its own build (target/quarkus-app): every property of the Quarkus
     * extensions it has (their config model), of our own {@code @ConfigMapping} interfaces and {@code @ConfigProperty}
     * injections, every property our configuration files set, and the Kafka clients' settings under {@code kafka.}.
     */
    record KnownProperties(Set<String> exact, List<Pattern> patterns, Set<String> productionSecrets) {

        static KnownProperties of(Path service) throws Exception {
            Path app = service.resolve("target/quarkus-app");
            assertTrue(Files.isDirectory(app), app + " is missing: build the service first (./mvnw package)");
            List<Path> jars = new ArrayList<>();
            try (Stream<Path> files =
                    Stream.concat(Files.list(app.resolve("app")), Files.list(app.resolve("lib/main")))) {
                files.filter(p -> p.toString().endsWith(".jar")).forEach(jars::add);
            }
            Set<String> exact = new TreeSet<>();
            List<Pattern> patterns = new ArrayList<>();
            Set<String> secrets = new LinkedHashSet<>();
            URL[] urls = jars.stream()
                    .map(p -> {
                        try {
                            return p.toUri().toURL();
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toArray(URL[]::new);
            try (URLClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
                for (Path jar : jars) {
                    boolean ours = jar.getFileName().toString().startsWith("io.dropship.")
                            || jar.getParent().getFileName().toString().equals("app");
                    try (JarFile j = new JarFile(jar.toFile())) {
                        var model = j.getEntry("META-INF/quarkus-config-doc/quarkus-config-model.json");
                        if (model != null) {
                            try (InputStream in = j.getInputStream(model)) {
                                quarkusProperties(JSON.readTree(in), exact, patterns);
                            }
                        }
                        if (ours) {
                            for (String file :
                                    List.of("application.properties", "META-INF/microprofile-config.properties")) {
                                var e = j.getEntry(file);
                                if (e != null) {
                                    Properties p = new Properties();
                                    try (InputStream in = j.getInputStream(e)) {
                                        p.load(in);
                                    }
                                    for (String k : p.stringPropertyNames()) {
                                        exact.add(envForm(k.startsWith("%") ? k.substring(k.indexOf('.') + 1) : k));
                                        if (k.equals("dropship.production.secrets")
                                                || k.equals("dropship.production.service-secrets")) {
                                            for (String s : p.getProperty(k).split(",")) {
                                                secrets.add(s.strip());
                                                Stream.of(s.strip().split("\\|"))
                                                        .map(KnownProperties::envForm)
                                                        .forEach(exact::add);
                                            }
                                        }
                                    }
                                }
                            }
                            ourConfiguration(j, loader, exact, patterns);
                        }
                    }
                }
            }
            for (String kafka : Stream.concat(
                            ProducerConfig.configNames().stream(), ConsumerConfig.configNames().stream())
                    .toList()) {
                exact.add(envForm("kafka." + kafka));
            }
            return new KnownProperties(exact, patterns, secrets);
        }

        boolean reads(String env) {
            return exact.contains(env)
                    || patterns.stream().anyMatch(p -> p.matcher(env).matches());
        }

        static String envForm(String property) {
            return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase();
        }

        /** The config model's environment variable names; a map key shows as a quoted placeholder. */
        static void quarkusProperties(JsonNode node, Set<String> exact, List<Pattern> patterns) {
            if (node.isObject()) {
                JsonNode path = node.get("path");
                if (path != null
                        && path.has("property")
                        && node.has("phase")
                        && !node.path("phase").asText().startsWith("BUILD_TIME")) {
                    add(path.path("property").asText(), exact, patterns);
                    node.path("additionalPaths")
                            .forEach(p -> add(p.path("property").asText(), exact, patterns));
                }
                node.forEach(child -> quarkusProperties(child, exact, patterns));
            } else if (node.isArray()) {
                node.forEach(child -> quarkusProperties(child, exact, patterns));
            }
        }

        static void add(String property, Set<String> exact, List<Pattern> patterns) {
            if (property.contains("\"") || property.contains("[*]")) {
                String regex = Stream.of(property.split("(\"[^\"]*\")|(\\[\\*\\])", -1))
                        .map(part -> Pattern.quote(envForm(part)))
                        .collect(Collectors.joining("[A-Z0-9_]+"));
                patterns.add(Pattern.compile(regex));
            } else {
                exact.add(envForm(property));
            }
        }

        /** Our @ConfigMapping interfaces, walked as SmallRye Config maps them, and @ConfigProperty names. */
        static void ourConfiguration(JarFile jar, ClassLoader loader, Set<String> exact, List<Pattern> patterns) {
            for (Enumeration<java.util.jar.JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String n = e.nextElement().getName();
                if (!n.endsWith(".class") || !n.startsWith("io/dropship/")) {
                    continue;
                }
                Class<?> c;
                try {
                    c = Class.forName(n.substring(0, n.length() - 6).replace('/', '.'), false, loader);
                    for (var a : c.getAnnotations()) {
                        if (a.annotationType().getName().equals("io.smallrye.config.ConfigMapping")) {
                            String prefix = (String)
                                    a.annotationType().getMethod("prefix").invoke(a);
                            mapping(c, prefix, exact, patterns, 0);
                        }
                    }
                    List<java.lang.reflect.AnnotatedElement> elements = new ArrayList<>(List.of(c.getDeclaredFields()));
                    for (var ctor : c.getDeclaredConstructors()) {
                        elements.addAll(List.of(ctor.getParameters()));
                    }
                    for (var m : c.getDeclaredMethods()) {
                        elements.addAll(List.of(m.getParameters()));
                    }
                    for (var el : elements) {
                        for (var a : el.getAnnotations()) {
                            if (a.annotationType()
                                    .getName()
                                    .equals("org.eclipse.microprofile.config.inject.ConfigProperty")) {
                                add(
                                        (String) a.annotationType()
                                                .getMethod("name")
                                                .invoke(a),
                                        exact,
                                        patterns);
                            }
                        }
                    }
                } catch (Throwable t) {
                    // A class that does not load outside Quarkus (build-time generated parents) holds no mapping.
                }
            }
        }

        static void mapping(Class<?> type, String prefix, Set<String> exact, List<Pattern> patterns, int depth) {
            if (depth > 10) {
                return;
            }
            for (Method m : type.getMethods()) {
                if (m.getParameterCount() != 0 || m.isDefault() || Modifier.isStatic(m.getModifiers())) {
                    continue;
                }
                String name = kebab(m.getName());
                boolean parentName = false;
                for (var a : m.getAnnotations()) {
                    String an = a.annotationType().getName();
                    if (an.equals("io.smallrye.config.WithName")) {
                        try {
                            name = (String)
                                    a.annotationType().getMethod("value").invoke(a);
                        } catch (ReflectiveOperationException e) {
                            throw new IllegalStateException(e);
                        }
                    } else if (an.equals("io.smallrye.config.WithParentName")) {
                        parentName = true;
                    }
                }
                String property = parentName ? prefix : prefix + "." + name;
                element(m.getGenericReturnType(), property, exact, patterns, depth);
            }
        }

        static void element(Type type, String property, Set<String> exact, List<Pattern> patterns, int depth) {
            if (type instanceof ParameterizedType p) {
                Class<?> raw = (Class<?>) p.getRawType();
                Type[] args = p.getActualTypeArguments();
                if (raw == Optional.class) {
                    element(args[0], property, exact, patterns, depth);
                    return;
                }
                if (Map.class.isAssignableFrom(raw)) {
                    element(args[1], property + ".\"key\"", exact, patterns, depth);
                    return;
                }
                if (Collection.class.isAssignableFrom(raw) && args[0] instanceof Class<?> e && isGroup(e)) {
                    element(e, property + "[*]", exact, patterns, depth);
                    return;
                }
                add(property, exact, patterns);
                return;
            }
            if (type instanceof Class<?> c && isGroup(c)) {
                mapping(c, property, exact, patterns, depth + 1);
            } else {
                add(property, exact, patterns);
            }
        }

        static boolean isGroup(Class<?> c) {
            return c.isInterface() && !c.getName().startsWith("java.");
        }

        static String kebab(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
        }
    }

    static {
        // The deploy module's own logging is slf4j-simple; keep fabric8 quiet.
        System.setProperty("org.slf4j.simpleLogger.log.io.fabric8", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.com.networknt", "error");
    }
}
