package io.dropship.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dropship.testkit.ApiDocuments;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the six services' API documents into the one API the gateway serves: every path under the service that owns
 * it ({@link ApiRoutes}), each service's dead letters under {@code /api/admin/services/{service}/dead-letters}, schemas
 * of the same name and different shape told apart by their service's name. Two services with the same operation, or
 * an operation the gateway would send elsewhere than where it is, stop the merge: the path space has one owner per path.
 */
final class OneApiDocument {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String DEAD_LETTERS = "/api/admin/dead-letters";
    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private OneApiDocument() {}

    static ObjectNode merge(Map<ApiRoutes.Service, JsonNode> documents, List<String> problems) {
        JsonNode gateway = documents.get(ApiRoutes.Service.GATEWAY);
        ObjectNode merged = NODES.objectNode();
        merged.put("openapi", gateway.path("openapi").asText("3.1.0"));
        ObjectNode info = merged.putObject("info");
        info.put("title", "Dropship API");
        info.put("version", gateway.path("info").path("version").asText());
        info.put(
                "description",
                "The one API of the dropshipping platform, at the gateway (port 8080 locally): public"
                        + " catalog browsing, the retailer app, the supplier portal, the admin and support consoles. Sign in at"
                        + " POST /api/auth/signin and send the access token as `Authorization: Bearer`; each operation lists"
                        + " the roles it takes. Conventions (pagination, errors, money, time, ETags, CORS): README, \"API"
                        + " conventions\". Each operation's x-dropship-service names the service that answers it.");
        merged.putArray("servers")
                .addObject()
                .put("url", "http://localhost:8080")
                .put("description", "the local fleet (./fleet up)");
        ObjectNode paths = merged.putObject("paths");
        ObjectNode schemas = NODES.objectNode();
        ObjectNode securitySchemes = NODES.objectNode();
        Map<String, JsonNode> tags = new LinkedHashMap<>();

        for (ApiRoutes.Service service : ApiRoutes.Service.values()) {
            JsonNode document = documents.get(service).deepCopy();
            Map<String, String> renamed = new LinkedHashMap<>();
            document.path("components").path("schemas").fields().forEachRemaining(e -> {
                JsonNode kept = schemas.get(e.getKey());
                if (kept != null && !kept.equals(e.getValue())) {
                    renamed.put(e.getKey(), prefix(service) + e.getKey());
                }
            });
            rewriteRefs(document, renamed);
            document.path("components")
                    .path("schemas")
                    .fields()
                    .forEachRemaining(e -> schemas.set(renamed.getOrDefault(e.getKey(), e.getKey()), e.getValue()));
            document.path("components")
                    .path("securitySchemes")
                    .fields()
                    .forEachRemaining(e -> securitySchemes.set(e.getKey(), e.getValue()));
            document.path("tags").forEach(t -> tags.putIfAbsent(t.path("name").asText(), t));

            document.path("paths").fields().forEachRemaining(e -> {
                String path = e.getKey();
                if (path.startsWith(DEAD_LETTERS)) {
                    if (service == ApiRoutes.Service.GATEWAY) {
                        paths.set(
                                "/api/admin/services/{service}/dead-letters" + path.substring(DEAD_LETTERS.length()),
                                deadLetters(e.getValue()));
                    }
                    return;
                }
                ObjectNode item = (ObjectNode) paths.get(path);
                if (item == null) {
                    item = paths.putObject(path);
                }
                Iterator<Map.Entry<String, JsonNode>> operations = e.getValue().fields();
                while (operations.hasNext()) {
                    Map.Entry<String, JsonNode> op = operations.next();
                    if (!METHODS.contains(op.getKey())) {
                        item.set(op.getKey(), op.getValue());
                        continue;
                    }
                    if (item.has(op.getKey())) {
                        problems.add(op.getKey().toUpperCase() + " " + path + " is both "
                                + item.get(op.getKey())
                                        .path("x-dropship-service")
                                        .asText() + "'s and " + service.serviceName + "'s");
                        continue;
                    }
                    String sample = path.replaceAll("\\{[^}]+}", "x1");
                    ApiRoutes.Service routed = ApiRoutes.resolve(op.getKey().toUpperCase(), sample)
                            .map(ApiRoutes.Target::service)
                            .orElse(null);
                    if (routed != service) {
                        problems.add(op.getKey().toUpperCase() + " " + path + " is " + service.serviceName
                                + "'s, but the gateway sends it to "
                                + (routed == null ? "nobody" : routed.serviceName));
                    }
                    ObjectNode operation = (ObjectNode) op.getValue();
                    operation.put("x-dropship-service", service.serviceName);
                    item.set(op.getKey(), operation);
                }
            });
        }
        ObjectNode components = merged.putObject("components");
        components.set("schemas", schemas);
        components.set("securitySchemes", securitySchemes);
        ArrayNode tagList = merged.putArray("tags");
        tags.values().forEach(tagList::add);
        return merged;
    }

    /** The gateway's dead-letter operation, for any service named in the path. */
    private static JsonNode deadLetters(JsonNode item) {
        ObjectNode copy = item.deepCopy();
        copy.fields().forEachRemaining(op -> {
            if (!METHODS.contains(op.getKey())) {
                return;
            }
            ObjectNode operation = (ObjectNode) op.getValue();
            ArrayNode parameters = operation.has("parameters")
                    ? (ArrayNode) operation.get("parameters")
                    : operation.putArray("parameters");
            ObjectNode service = NODES.objectNode()
                    .put("name", "service")
                    .put("in", "path")
                    .put("required", true)
                    .put("description", "The service whose dead letters these are");
            ArrayNode names = service.putObject("schema").put("type", "string").putArray("enum");
            for (ApiRoutes.Service s : ApiRoutes.Service.values()) {
                names.add(s.serviceName);
            }
            parameters.insert(0, service);
            operation.put("x-dropship-service", "the service named in the path");
        });
        return copy;
    }

    private static String prefix(ApiRoutes.Service service) {
        String name = service.serviceName.split("-")[0];
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static void rewriteRefs(JsonNode node, Map<String, String> renamed) {
        if (renamed.isEmpty()) {
            return;
        }
        if (node instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                JsonNode value = object.get(name);
                if (name.equals("$ref") && value.isTextual() && value.asText().startsWith("#/components/schemas/")) {
                    String target = value.asText().substring("#/components/schemas/".length());
                    if (renamed.containsKey(target)) {
                        object.set(name, new TextNode("#/components/schemas/" + renamed.get(target)));
                    }
                } else {
                    rewriteRefs(value, renamed);
                }
            }
        } else if (node instanceof ArrayNode array) {
            array.forEach(n -> rewriteRefs(n, renamed));
        }
    }

    static Map<ApiRoutes.Service, JsonNode> serviceDocuments() {
        Map<ApiRoutes.Service, JsonNode> documents = new LinkedHashMap<>();
        for (ApiRoutes.Service s : ApiRoutes.Service.values()) {
            documents.put(s, ApiDocuments.read(ApiDocuments.serviceFile(s.serviceName)));
        }
        return documents;
    }
}
