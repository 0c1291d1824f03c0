package io.dropship.testkit;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may call what, checked against the service's own OpenAPI document: every operation it publishes needs a line
 * here, so an endpoint cannot ship without someone deciding who may call it. Each operation is called as each kind of
 * caller (no token, a retailer, a supplier, support, an admin) with placeholder parameters, and a caller not allowed
 * must be turned away (401 without a token, 403 with one) while an allowed one must get past authorization (any other
 * answer: 400 for the placeholder body, 404 for the placeholder id, and so on). A path naming a retailer or supplier
 * ({@code {retailerId}}, {@code {supplierId}}) is also called by a retailer or supplier with another tenant's id, which
 * must never succeed (2xx).
 */
public final class AuthorizationMatrix {

    private final Map<String, Integer> notOffered = new java.util.HashMap<>();

    public enum Caller {
        ANONYMOUS,
        RETAILER,
        SUPPLIER,
        SUPPORT,
        ADMIN
    }

    public static final Set<Caller> PUBLIC = EnumSet.allOf(Caller.class);
    public static final Set<Caller> STAFF = EnumSet.of(Caller.SUPPORT, Caller.ADMIN);
    public static final Set<Caller> ADMIN = EnumSet.of(Caller.ADMIN);

    private String retailerId = "ret-matrix";
    private String supplierId = "sup-matrix";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PARAM = Pattern.compile("\\{([^}]+)}");

    private final Map<String, Set<Caller>> rules = new LinkedHashMap<>();
    private final Set<String> signed = new java.util.HashSet<>();
    private static final Pattern SUPPLIER_PATH = Pattern.compile("^/api/suppliers/\\{([^}]+)}");
    private static final Pattern RETAILER_PATH = Pattern.compile("^/api/retailers/\\{([^}]+)}");

    /** Calls as this supplier (one that exists, where an operation needs its supplier to be active). */
    public AuthorizationMatrix asSupplier(String id) {
        this.supplierId = id;
        return this;
    }

    /** {@code "GET /api/orders/{id}"} may be called by these. */
    public AuthorizationMatrix allow(String operation, Caller first, Caller... rest) {
        return allow(operation, EnumSet.of(first, rest));
    }

    public AuthorizationMatrix allow(String operation, Set<Caller> callers) {
        if (rules.put(operation, EnumSet.copyOf(callers)) != null) {
            throw new IllegalArgumentException("two lines for " + operation);
        }
        return this;
    }

    /**
     * A webhook or a credential exchange: who calls does not matter, what the request carries (a signature, an API key)
     * does. Without it every caller gets the same refusal (400 or 401), token or not.
     */
    public AuthorizationMatrix signed(String operation) {
        signed.add(operation);
        return allow(operation, PUBLIC);
    }

    /**
     * A browser navigation, not an API call (single sign-on's start): every caller, token or not, gets the same
     * answer, such as a redirect to the identity provider.
     */
    public AuthorizationMatrix sameForEveryone(String operation, int status) {
        notOffered.put(operation, status);
        return allow(operation, PUBLIC);
    }

    /** The dead-letter console every service has (platform/web DeadLetterResource): staff read, admins act. */
    public AuthorizationMatrix deadLetters() {
        return allow("GET /api/admin/dead-letters", STAFF)
                .allow("GET /api/admin/dead-letters/summary", STAFF)
                .allow("GET /api/admin/dead-letters/{id}", STAFF)
                .allow("POST /api/admin/dead-letters/{id}/replay", ADMIN)
                .allow("POST /api/admin/dead-letters/{id}/discard", ADMIN)
                .allow("POST /api/admin/dead-letters/replay", ADMIN);
    }

    /** Checks every operation of the running service's OpenAPI document; fails with every discrepancy at once. */
    public void check() throws Exception {
        JsonNode doc = JSON.readTree(Management.given()
                .accept("application/json")
                .get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        List<String> problems = new ArrayList<>();
        Set<String> published = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase(java.util.Locale.ROOT);
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                String operation = method + " " + path.getKey();
                published.add(operation);
                Set<Caller> allowed = rules.get(operation);
                if (allowed == null) {
                    problems.add(operation + ": no line in the authorization matrix (who may call it?)");
                    continue;
                }
                if (notOffered.containsKey(operation)) {
                    Set<Integer> answers = new TreeSet<>();
                    for (Caller caller : Caller.values()) {
                        answers.add(call(caller, method, path.getKey(), op.getValue(), null)
                                .statusCode());
                    }
                    if (!answers.equals(Set.of(notOffered.get(operation)))) {
                        problems.add(operation + " (the same for everyone): " + answers + ", expected "
                                + notOffered.get(operation) + " for everyone");
                    }
                } else if (signed.contains(operation)) {
                    checkSigned(operation, method, path.getKey(), op.getValue(), problems);
                } else {
                    check(operation, method, path.getKey(), op.getValue(), allowed, problems);
                }
            }
        }
        for (String stale : rules.keySet()) {
            if (!published.contains(stale)) {
                problems.add(stale + ": in the matrix but not in the OpenAPI document");
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError(
                    problems.size() + " authorization problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    private void checkSigned(String operation, String method, String path, JsonNode op, List<String> problems) {
        Set<Integer> answers = new TreeSet<>();
        for (Caller caller : Caller.values()) {
            answers.add(call(caller, method, path, op, null).statusCode());
        }
        if (answers.size() != 1 || !(answers.contains(400) || answers.contains(401))) {
            problems.add(operation + " without a signature: " + answers
                    + ", expected one refusal (400 or 401) for everyone");
        }
    }

    /** The path parameter naming the caller's tenant, for a supplier or retailer: {supplierId}, or /api/suppliers/{id}. */
    private static String tenantParam(String path, Caller tenant) {
        Matcher m = (tenant == Caller.RETAILER ? RETAILER_PATH : SUPPLIER_PATH).matcher(path);
        if (m.find()) {
            return "{" + m.group(1) + "}";
        }
        String param = tenant == Caller.RETAILER ? "{retailerId}" : "{supplierId}";
        return path.contains(param) ? param : null;
    }

    private void check(
            String operation, String method, String path, JsonNode op, Set<Caller> allowed, List<String> problems) {
        for (Caller caller : Caller.values()) {
            int status = call(caller, method, path, op, null).statusCode();
            boolean turnedAway = status == 401 || status == 403;
            if (allowed.contains(caller) && turnedAway) {
                problems.add(operation + " as " + caller + ": " + status + ", but it is allowed");
            } else if (!allowed.contains(caller) && !(status == (caller == Caller.ANONYMOUS ? 401 : 403))) {
                problems.add(operation + " as " + caller + ": " + status + ", expected "
                        + (caller == Caller.ANONYMOUS ? 401 : 403));
            }
        }
        for (Caller tenant : List.of(Caller.RETAILER, Caller.SUPPLIER)) {
            String param = tenantParam(path, tenant);
            if (allowed.contains(tenant) && param != null) {
                int status = call(tenant, method, path, op, param).statusCode();
                if (status < 300) {
                    problems.add(operation + " as a " + tenant + " naming another tenant: " + status);
                }
            }
        }
    }

    private Response call(Caller caller, String method, String path, JsonNode op, String otherTenantParam) {
        RequestSpecification request = given().redirects().follow(false);
        switch (caller) {
            case RETAILER -> request.auth().oauth2(TestTokens.retailer(retailerId));
            case SUPPLIER -> request.auth().oauth2(TestTokens.supplier(supplierId));
            case SUPPORT -> request.auth().oauth2(TestTokens.support());
            case ADMIN -> request.auth().oauth2(TestTokens.admin());
            default -> {}
        }
        Matcher m = PARAM.matcher(path);
        StringBuilder url = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String param = "{" + name + "}";
            String value = param.equals(otherTenantParam)
                    ? (caller == Caller.RETAILER ? "ret-other" : "sup-other")
                    : param.equals(tenantParam(path, Caller.RETAILER))
                            ? retailerId
                            : param.equals(tenantParam(path, Caller.SUPPLIER)) ? supplierId : placeholder(op, name);
            m.appendReplacement(url, Matcher.quoteReplacement(value));
        }
        m.appendTail(url);
        for (JsonNode p : op.path("parameters")) {
            if ("query".equals(p.path("in").asText()) && p.path("required").asBoolean(false)) {
                request.queryParam(p.path("name").asText(), placeholder(p.path("schema")));
            }
        }
        JsonNode content = op.path("requestBody").path("content");
        if (content.has("application/json")
                || !content.fieldNames().hasNext()
                        && Set.of("POST", "PUT", "PATCH").contains(method)) {
            // A JSON body even where none is taken: a resource that declares it consumes JSON answers a bodiless call
            // 415 before it looks at who is calling.
            request.contentType("application/json").body("{}");
        } else if (content.fieldNames().hasNext()) {
            request.contentType(content.fieldNames().next()).body(new byte[0]);
        }
        return request.request(method, url.toString());
    }

    private static String placeholder(JsonNode op, String name) {
        for (JsonNode p : op.path("parameters")) {
            if (name.equals(p.path("name").asText())
                    && "path".equals(p.path("in").asText())) {
                return placeholder(p.path("schema"));
            }
        }
        return "x";
    }

    private static String placeholder(JsonNode schema) {
        if (schema.has("enum")) {
            return schema.get("enum").get(0).asText();
        }
        if (schema.has("$ref") || schema.has("allOf")) {
            return "x";
        }
        String format = schema.path("format").asText("");
        String type = schema.path("type").asText("string");
        return format.equals("uuid")
                ? "00000000-0000-0000-0000-000000000000"
                : format.equals("date")
                        ? "2026-01-01"
                        : format.equals("date-time")
                                ? "2026-01-01T00:00:00Z"
                                : type.equals("integer") || type.equals("number")
                                        ? "1"
                                        : type.equals("boolean") ? "true" : "x";
    }

    private AuthorizationMatrix() {}

    public static AuthorizationMatrix of() {
        return new AuthorizationMatrix();
    }
}
