package io.dropship.gateway.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP server standing where the services behind the gateway are, which records what the gateway forwarded to it
 * and answers it back, so a test can check the forwarding itself (path, query, body, headers) on the wire. The
 * services' own answers through the gateway are tested end to end on the real fleet (EndToEndTest). The inventory
 * URL points at a closed port: a service that does not answer.
 */
public class UpstreamRecorder implements QuarkusTestResourceLifecycleManager {

    /** One forwarded request as the service received it. */
    public record Received(String method, String uri, Map<String, String> headers, String body) {}

    static final ConcurrentLinkedDeque<Received> RECEIVED = new ConcurrentLinkedDeque<>();
    private static Vertx vertx;
    private static int port;

    static synchronized int port() throws Exception {
        if (vertx == null) {
            vertx = Vertx.vertx();
            HttpServer server = vertx.createHttpServer()
                    .requestHandler(request -> request.body().onSuccess(body -> {
                        Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                        request.headers().forEach(h -> headers.put(h.getKey(), h.getValue()));
                        RECEIVED.add(new Received(request.method().name(), request.uri(), headers, body.toString()));
                        // ?slowMs=N: a service that takes that long to answer (a long import).
                        String slow = request.getParam("slowMs");
                        vertx.setTimer(
                                slow == null ? 1 : Long.parseLong(slow),
                                t -> request.response()
                                        .setStatusCode(request.path().endsWith("/missing") ? 404 : 200)
                                        .putHeader("Content-Type", "application/json")
                                        .putHeader("ETag", "\"v1\"")
                                        .end(new JsonObject()
                                                .put("method", request.method().name())
                                                .put("uri", request.uri())
                                                .put("bytes", body.length())
                                                .encode()));
                    }));
            port = server.listen(0, "127.0.0.1")
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(10, TimeUnit.SECONDS)
                    .actualPort();
        }
        return port;
    }

    @Override
    public Map<String, String> start() {
        try {
            String url = "http://127.0.0.1:" + port();
            int closed;
            try (ServerSocket socket = new ServerSocket(0)) {
                closed = socket.getLocalPort();
            }
            return Map.of(
                    "dropship.api.catalog-url",
                    url,
                    "dropship.api.order-url",
                    url,
                    "dropship.api.fulfillment-url",
                    url,
                    "dropship.api.settlement-url",
                    url,
                    "dropship.api.inventory-url",
                    "http://127.0.0.1:" + closed,
                    // Short, so that a test can outlast it; an import's own timeout stays 30 minutes.
                    "dropship.api.timeout",
                    "PT3S");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        // Lives as long as the test JVM.
    }
}
