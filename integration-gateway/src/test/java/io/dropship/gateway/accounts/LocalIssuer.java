package io.dropship.gateway.accounts;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * An OpenID Connect provider the tests start themselves, standing for Keycloak, Entra ID or Google: discovery, JWKS,
 * the authorization endpoint (the user the test names next signs in at once and is sent back with a code) and the
 * token endpoint (the code, once, for RS256-signed ID and access tokens with email, email_verified and groups).
 */
public class LocalIssuer implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "dropship-gateway";
    public static final String CLIENT_SECRET = "local-issuer-client-secret";
    private static final String KID = "local-1";

    /** Who signs in at the provider next. */
    public record User(String subject, String email, boolean emailVerified, List<String> groups) {}

    private static Vertx vertx;
    private static int port;
    private static KeyPair keys;
    private static volatile User next;
    private static final Map<String, String[]> CODES = new ConcurrentHashMap<>();

    public static void signsInNext(User user) {
        next = user;
    }

    public static synchronized String url() throws Exception {
        if (vertx == null) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keys = generator.generateKeyPair();
            vertx = Vertx.vertx();
            port = vertx.createHttpServer()
                    .requestHandler(LocalIssuer::handle)
                    .listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .actualPort();
        }
        return "http://127.0.0.1:" + port + "/realms/dropship";
    }

    private static void handle(HttpServerRequest request) {
        String base;
        try {
            base = url();
        } catch (Exception e) {
            request.response().setStatusCode(500).end();
            return;
        }
        String path = request.path().replaceFirst("^/realms/dropship", "");
        switch (path) {
            case "/.well-known/openid-configuration" ->
                json(
                        request,
                        200,
                        new JsonObject()
                                .put("issuer", base)
                                .put("authorization_endpoint", base + "/authorize")
                                .put("token_endpoint", base + "/token")
                                .put("jwks_uri", base + "/jwks")
                                .put("response_types_supported", new JsonArray().add("code"))
                                .put("subject_types_supported", new JsonArray().add("public"))
                                .put("id_token_signing_alg_values_supported", new JsonArray().add("RS256"))
                                .put(
                                        "scopes_supported",
                                        new JsonArray()
                                                .add("openid")
                                                .add("email")
                                                .add("profile")));
            case "/jwks" -> {
                RSAPublicKey key = (RSAPublicKey) keys.getPublic();
                json(
                        request,
                        200,
                        new JsonObject()
                                .put(
                                        "keys",
                                        new JsonArray()
                                                .add(new JsonObject()
                                                        .put("kty", "RSA")
                                                        .put("kid", KID)
                                                        .put("use", "sig")
                                                        .put("alg", "RS256")
                                                        .put("n", b64(key.getModulus()))
                                                        .put("e", b64(key.getPublicExponent())))));
            }
            case "/authorize" -> {
                User user = next;
                String redirect = request.getParam("redirect_uri");
                if (user == null
                        || redirect == null
                        || !CLIENT_ID.equals(request.getParam("client_id"))
                        || !"code".equals(request.getParam("response_type"))) {
                    json(request, 400, new JsonObject().put("error", "invalid_request"));
                    return;
                }
                String code = UUID.randomUUID().toString();
                CODES.put(code, new String[] {
                    user.subject(),
                    user.email(),
                    String.valueOf(user.emailVerified()),
                    String.join(",", user.groups()),
                    request.getParam("nonce"),
                    redirect
                });
                request.response()
                        .setStatusCode(302)
                        .putHeader(
                                "Location",
                                redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code + "&state="
                                        + URLEncoder.encode(request.getParam("state"), StandardCharsets.UTF_8))
                        .end();
            }
            case "/token" ->
                request.body()
                        .onSuccess(body -> {
                            try {
                                token(request, base, form(body.toString()));
                            } catch (RuntimeException e) {
                                e.printStackTrace();
                                json(
                                        request,
                                        500,
                                        new JsonObject()
                                                .put("error", "server_error")
                                                .put("error_description", e.toString()));
                            }
                        })
                        .onFailure(e -> json(request, 400, new JsonObject().put("error", "invalid_request")));
            default -> json(request, 404, new JsonObject().put("error", "not_found"));
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new java.util.HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(
                        java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static void token(HttpServerRequest request, String base, Map<String, String> form) {
        String[] grant = CODES.remove(String.valueOf(form.get("code")));
        String authorization = request.getHeader("Authorization");
        String basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        boolean client = basic.equals(authorization)
                || (CLIENT_ID.equals(form.get("client_id")) && CLIENT_SECRET.equals(form.get("client_secret")));
        if (grant == null || !client || !"authorization_code".equals(form.get("grant_type"))) {
            json(request, 400, new JsonObject().put("error", "invalid_grant"));
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        var claims = Jwt.issuer(base)
                .subject(grant[0])
                .audience(CLIENT_ID)
                .issuedAt(now)
                .expiresAt(now + 300)
                .claim("email", grant[1])
                .claim("email_verified", Boolean.parseBoolean(grant[2]))
                .claim("typ", "ID")
                .claim("azp", CLIENT_ID);
        if (!grant[3].isEmpty()) {
            claims.groups(new java.util.HashSet<>(List.of(grant[3].split(","))));
        }
        if (grant[4] != null) {
            claims.claim("nonce", grant[4]);
        }
        String idToken = claims.jws().keyId(KID).sign(keys.getPrivate());
        String accessToken = Jwt.issuer(base)
                .subject(grant[0])
                .audience("account")
                .issuedAt(now)
                .expiresAt(now + 300)
                .claim("typ", "Bearer")
                .claim("azp", CLIENT_ID)
                .jws()
                .keyId(KID)
                .sign(keys.getPrivate());
        json(
                request,
                200,
                new JsonObject()
                        .put("access_token", accessToken)
                        .put("id_token", idToken)
                        .put("token_type", "Bearer")
                        .put("expires_in", 300));
    }

    private static void json(HttpServerRequest request, int status, JsonObject body) {
        request.response()
                .setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(body.encode());
    }

    private static String b64(BigInteger value) {
        byte[] bytes = value.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public Map<String, String> start() {
        try {
            return Map.of(
                    "quarkus.oidc.sso.tenant-enabled",
                    "true",
                    "quarkus.oidc.sso.auth-server-url",
                    url(),
                    "quarkus.oidc.sso.client-id",
                    CLIENT_ID,
                    "quarkus.oidc.sso.credentials.secret",
                    CLIENT_SECRET);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // Lives as long as the test JVM.
    }
}
