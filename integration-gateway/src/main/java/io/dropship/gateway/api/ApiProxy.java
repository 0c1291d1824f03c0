package io.dropship.gateway.api;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropship.gateway.accounts.Retailers;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.web.Problem;
import io.dropship.platform.web.RequestIds;
import io.dropship.platform.web.Roles;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.httpproxy.Body;
import io.vertx.httpproxy.HttpProxy;
import io.vertx.httpproxy.ProxyContext;
import io.vertx.httpproxy.ProxyInterceptor;
import io.vertx.httpproxy.ProxyResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * The gateway's one API: a call to a path another service owns ({@link ApiRoutes}) is forwarded to it with Vert.x's
 * reverse proxy, unchanged but for the headers a service behind a proxy needs: the caller's token as it came (the
 * service checks it and its roles itself), the request id ({@code X-Request-Id}, made here when the caller sent none,
 * echoed on the answer) and {@code X-Forwarded-For/-Proto/-Host}, so the service's per-address limits count the caller
 * and not the gateway. A suspended retailer's token is refused here, with the reason, before anything is forwarded.
 * A service that does not answer is a 503 problem with Retry-After, never a hang or an empty 502.
 */
@ApplicationScoped
public class ApiProxy {

    private static final Logger LOG = Logger.getLogger(ApiProxy.class);
    private static final Pattern SENSIBLE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final String TARGET = "dropship.target";

    private final Map<ApiRoutes.Service, URI> upstreams = new EnumMap<>(ApiRoutes.Service.class);
    private final GatewayConfig.Api config;
    private final JWTParser tokens;
    private final Retailers retailers;
    private final MeterRegistry meters;
    /** Verified tokens and the retailer each speaks for (empty: not a retailer's): one signature check per token. */
    private final Cache<String, Optional<String>> retailerOfToken = Caffeine.newBuilder()
            .maximumSize(50_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    public ApiProxy(GatewayConfig config, JWTParser tokens, Retailers retailers, MeterRegistry meters) {
        this.config = config.api();
        this.tokens = tokens;
        this.retailers = retailers;
        this.meters = meters;
        upstreams.put(ApiRoutes.Service.CATALOG, this.config.catalogUrl());
        upstreams.put(ApiRoutes.Service.ORDER, this.config.orderUrl());
        upstreams.put(ApiRoutes.Service.INVENTORY, this.config.inventoryUrl());
        upstreams.put(ApiRoutes.Service.FULFILLMENT, this.config.fulfillmentUrl());
        upstreams.put(ApiRoutes.Service.SETTLEMENT, this.config.settlementUrl());
        // At 0 from the start, so that an alert on it finds it before the first failure.
        upstreams.keySet().forEach(s -> meters.counter("dropship.gateway.upstream.failures", "service", s.serviceName));
    }

    void routes(@Observes Router router, Vertx vertx) {
        HttpClient client = vertx.createHttpClient(
                new HttpClientOptions()
                        .setConnectTimeout((int) config.connectTimeout().toMillis())
                        .setKeepAlive(true)
                        .setDecompressionSupported(false),
                new PoolOptions().setHttp1MaxSize(config.connectionsPerService()));
        HttpProxy proxy = HttpProxy.reverseProxy(client)
                .origin(context -> {
                    ApiRoutes.Target target = context.get(TARGET, ApiRoutes.Target.class);
                    URI upstream = upstreams.get(target.service());
                    boolean tls = "https".equals(upstream.getScheme());
                    int port = upstream.getPort() > 0 ? upstream.getPort() : tls ? 443 : 80;
                    return context.client()
                            .request(new RequestOptions()
                                    .setHost(upstream.getHost())
                                    .setPort(port)
                                    .setSsl(tls)
                                    .setIdleTimeout((isImport(
                                                            context.request().getMethod(),
                                                            context.request().getURI())
                                                    ? config.importTimeout()
                                                    : config.timeout())
                                            .toMillis()));
                })
                .addInterceptor(new Forwarding());
        router.route().order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(ctx -> forward(ctx, proxy));
    }

    /** A supplier's product import, which the service answers when the whole file is in. */
    static boolean isImport(io.vertx.core.http.HttpMethod method, String uri) {
        return method == io.vertx.core.http.HttpMethod.POST
                && (uri.equals("/api/supplier/imports") || uri.startsWith("/api/supplier/imports?"));
    }

    private void forward(RoutingContext ctx, HttpProxy proxy) {
        HttpServerRequest request = ctx.request();
        Optional<ApiRoutes.Target> target = ApiRoutes.resolve(request.method().name(), request.path());
        if (target.isEmpty()) {
            answer(request, "not-found", 404, "Not Found", "no such service", null);
            return;
        }
        if (target.get().local()) {
            if (!target.get().path().equals(request.path())) {
                String query = request.query();
                ctx.reroute(target.get().path() + (query == null ? "" : "?" + query));
            } else {
                ctx.next();
            }
            return;
        }
        // The body waits until the retailer's status is known; the proxy then streams it to the service.
        request.pause();
        Context context = Vertx.currentContext();
        suspension(request)
                .subscribe()
                .with(
                        why -> context.runOnContext(v -> {
                            if (why.isPresent()) {
                                request.resume();
                                answer(
                                        request,
                                        "retailer-suspended",
                                        403,
                                        "Forbidden",
                                        "the retailer is suspended: " + why.get(),
                                        null);
                            } else {
                                streamable(request);
                                proxy.handle(request);
                            }
                        }),
                        failure -> context.runOnContext(v -> {
                            LOG.warnf(failure, "could not check the caller's retailer status");
                            request.resume();
                            answer(
                                    request,
                                    "unavailable",
                                    503,
                                    "Service Unavailable",
                                    "the caller's account could not be checked; try again",
                                    1);
                        }));
    }

    /**
     * An HTTP/2 request (a client that upgraded the connection, as Java's HttpClient does) carries its body in frames,
     * with neither Content-Length nor Transfer-Encoding. The proxy sends a body to the service only when one of the two
     * says how long it is, so a streamed upload (a supplier's CSV) arrived empty; marked chunked, it is streamed.
     */
    static void streamable(HttpServerRequest request) {
        if (request.version() == io.vertx.core.http.HttpVersion.HTTP_2
                && request.getHeader(io.vertx.core.http.HttpHeaders.CONTENT_LENGTH) == null
                && (request.method() == io.vertx.core.http.HttpMethod.POST
                        || request.method() == io.vertx.core.http.HttpMethod.PUT
                        || request.method() == io.vertx.core.http.HttpMethod.PATCH)) {
            request.headers().set(io.vertx.core.http.HttpHeaders.TRANSFER_ENCODING, "chunked");
        }
    }

    private io.smallrye.mutiny.Uni<Optional<String>> suspension(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return io.smallrye.mutiny.Uni.createFrom().item(Optional.empty());
        }
        String token = authorization.substring(7).trim();
        Optional<String> retailer = retailerOfToken.get(token, t -> {
            try {
                JsonWebToken jwt = tokens.parse(t);
                Object claim = jwt.getGroups().contains(Roles.RETAILER) ? jwt.getClaim(Roles.RETAILER_CLAIM) : null;
                return Optional.ofNullable(claim).map(c -> c.toString().replace("\"", ""));
            } catch (ParseException e) {
                return Optional.empty(); // not a valid token: the service answers 401
            }
        });
        return retailer.isEmpty()
                ? io.smallrye.mutiny.Uni.createFrom().item(Optional.empty())
                : retailers.suspended(retailer.get());
    }

    private static void answer(
            HttpServerRequest request, String type, int status, String title, String detail, Integer retryAfter) {
        var response = request.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (retryAfter != null) {
            response.putHeader("Retry-After", String.valueOf(retryAfter));
        }
        response.end(Json.encode(Problem.of(type, status, title, detail)));
    }

    /** The headers a service behind the gateway needs, and a problem answer when it cannot be reached. */
    private final class Forwarding implements ProxyInterceptor {

        @Override
        public Future<ProxyResponse> handleProxyRequest(ProxyContext context) {
            HttpServerRequest incoming = context.request().proxiedRequest();
            // The route resolved it already; the proxy sees only the request, and resolving is a few regex matches.
            ApiRoutes.Target target =
                    ApiRoutes.resolve(incoming.method().name(), incoming.path()).orElseThrow();
            ApiRoutes.Service service = target.service();
            context.set(TARGET, target);
            var headers = context.request().headers();
            String given = incoming.getHeader(RequestIds.HEADER);
            String id = given != null && SENSIBLE_ID.matcher(given).matches()
                    ? given
                    : UUID.randomUUID().toString();
            headers.set(RequestIds.HEADER, id);
            context.set(RequestIds.HEADER, id);
            String client = incoming.remoteAddress() == null
                    ? null
                    : incoming.remoteAddress().hostAddress();
            if (client != null) {
                String before = incoming.getHeader("X-Forwarded-For");
                headers.set(
                        "X-Forwarded-For",
                        before == null || !config.trustForwarded() ? client : before + ", " + client);
            }
            headers.set("X-Forwarded-Proto", incoming.scheme() == null ? "http" : incoming.scheme());
            if (incoming.authority() != null) {
                headers.set("X-Forwarded-Host", incoming.authority().toString());
            }
            if (!target.path().equals(incoming.path())) {
                String query = incoming.query();
                context.request().setURI(target.path() + (query == null ? "" : "?" + query));
            }
            long started = System.nanoTime();
            return context.sendRequest()
                    .map(response -> {
                        meters.timer(
                                        "dropship.gateway.forwarded",
                                        "service",
                                        service.serviceName,
                                        "status",
                                        String.valueOf(response.getStatusCode() / 100) + "xx")
                                .record(Duration.ofNanos(System.nanoTime() - started));
                        return response;
                    })
                    .recover(failure -> {
                        LOG.warnf(
                                "%s %s: %s did not answer: %s",
                                incoming.method(), incoming.path(), service.serviceName, failure.getMessage());
                        meters.counter("dropship.gateway.upstream.failures", "service", service.serviceName)
                                .increment();
                        ProxyResponse response =
                                context.request().response().setStatusCode(503).setStatusMessage("Service Unavailable");
                        response.headers().clear();
                        response.putHeader("Content-Type", Problem.MEDIA_TYPE).putHeader("Retry-After", "2");
                        response.setBody(Body.body(Buffer.buffer(Json.encode(Problem.of(
                                "service-unavailable",
                                503,
                                "Service Unavailable",
                                service.serviceName + " did not answer; try again")))));
                        return Future.succeededFuture(response);
                    });
        }

        @Override
        public Future<Void> handleProxyResponse(ProxyContext context) {
            context.response().putHeader(RequestIds.HEADER, context.get(RequestIds.HEADER, String.class));
            return context.sendResponse();
        }
    }
}
