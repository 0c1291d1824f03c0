package io.dropship.gateway.stores;

import io.dropship.gateway.config.GatewayConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpRequest;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Function;

/**
 * The one HTTP client for calls out to stores, and the rules every store call shares: a timeout; an answer read
 * only up to {@code dropship.store-push.max-answer-bytes} (a larger one is a failure, not read further); 429 and
 * 5xx and a lost connection are worth retrying (after Retry-After when the store gives one); any other
 * 4xx is not, and carries the store's own message.
 */
@ApplicationScoped
public class StoreHttp {

    private final WebClient client;
    private final Duration timeout;
    private final boolean blockPrivateSites;
    private final io.vertx.mutiny.ext.web.codec.BodyCodec<Buffer> capped;

    private final io.micrometer.core.instrument.MeterRegistry meters;

    public StoreHttp(Vertx vertx, GatewayConfig config, io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        // Registered up front, so the dashboard's series exist before the first store call.
        duration("SHOPIFY");
        duration("WOOCOMMERCE");
        this.timeout = config.storePush().timeout();
        this.capped = io.vertx.mutiny.ext.web.codec.BodyCodec.newInstance(
                new CappedAnswer(config.storePush().maxAnswerBytes()));
        this.blockPrivateSites = config.woocommerce().blockPrivateAddresses();
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setUserAgent("dropship-integration-gateway")
                        // A store's answer is taken as it comes: a redirect could lead the platform anywhere, past the
                        // check
                        // made on the store's own address (WooCommerce sites are the tenant's choice).
                        .setFollowRedirects(false)
                        .setConnectTimeout((int) Math.min(timeout.toMillis(), 10_000))
                        .setMaxPoolSize(16)
                        .setKeepAlive(true));
    }

    public HttpRequest<Buffer> request(HttpMethod method, String url) {
        return client.requestAbs(method, url)
                .as(capped)
                .timeout(timeout.toMillis())
                .putHeader("Accept", "application/json");
    }

    /**
     * A request to a URL the tenant chose (a WooCommerce site): where private addresses are blocked (production), its
     * host is resolved once, off the event loop, every address is checked, and the request connects to exactly the
     * checked address (the host name kept for TLS and the Host header), so a site whose DNS now points inside the
     * platform's network, or changes between check and connect, is never called. Fails with {@code Egress.Refused}.
     */
    public Uni<HttpRequest<Buffer>> checkedRequest(HttpMethod method, String url) {
        if (!blockPrivateSites) {
            return Uni.createFrom().item(request(method, url));
        }
        java.net.URI uri = java.net.URI.create(url);
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        return io.dropship.platform.web.Egress.checkedAddressOffLoop(uri)
                .map(address -> client.requestAbs(
                                method,
                                io.vertx.mutiny.core.net.SocketAddress.inetSocketAddress(
                                        port, address.getHostAddress()),
                                url)
                        .as(capped)
                        .timeout(timeout.toMillis())
                        .putHeader("Accept", "application/json"));
    }

    /** As {@link #send(HttpRequest, JsonObject, Function)}, for a checked request; a refused address is a failure the tenant sees. */
    public Uni<PushResult> send(
            Uni<HttpRequest<Buffer>> request,
            JsonObject body,
            Function<HttpResponse<Buffer>, Uni<PushResult>> onSuccess) {
        return refusedAsFailure(request.chain(r -> send(r, body, onSuccess)));
    }

    /** As {@link #get(HttpRequest, Function)}, for a checked request. */
    public Uni<PushResult> get(
            Uni<HttpRequest<Buffer>> request, Function<HttpResponse<Buffer>, Uni<PushResult>> onSuccess) {
        return refusedAsFailure(request.chain(r -> get(r, onSuccess)));
    }

    private static Uni<PushResult> refusedAsFailure(Uni<PushResult> call) {
        return call.onFailure(io.dropship.platform.web.Egress.Refused.class)
                .recoverWithItem(e -> new PushResult.Failed(
                        "not sent: the store's site must be on the public internet (" + e.getMessage() + ")"));
    }

    /**
     * Sends the JSON body and reads a 2xx answer with {@code onSuccess}; other answers and failures become
     * {@link PushResult.Retry} or {@link PushResult.Failed}, with the store's words.
     */
    public Uni<PushResult> send(
            HttpRequest<Buffer> request, JsonObject body, Function<HttpResponse<Buffer>, Uni<PushResult>> onSuccess) {
        return answer(
                platformOf(request.uri()),
                request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body.encode())),
                onSuccess);
    }

    /** A GET, read with the same rules. */
    public Uni<PushResult> get(HttpRequest<Buffer> request, Function<HttpResponse<Buffer>, Uni<PushResult>> onSuccess) {
        return answer(platformOf(request.uri()), request.send(), onSuccess);
    }

    /** WooCommerce's REST API lives under /wp-json/; every other store call is Shopify's Admin API. */
    static String platformOf(String uri) {
        return uri != null && uri.contains("/wp-json/") ? "WOOCOMMERCE" : "SHOPIFY";
    }

    /** Calls to stores by platform and answer: 2xx, 4xx, 429 (the store's rate limit), 5xx, unreachable, too_large. */
    private void count(String platform, String answer) {
        meters.counter("dropship.store.calls", "platform", platform, "answer", answer)
                .increment();
    }

    /**
     * How long stores take to answer, by platform: a store lane keeps {@code calls-in-flight} calls under way, so a
     * store that answers slower than that many call spacings is sent less than its rate.
     */
    private io.micrometer.core.instrument.Timer duration(String platform) {
        return io.micrometer.core.instrument.Timer.builder("dropship.store.call.duration")
                .description("Time from sending a call to a store to its answer (or failure)")
                .tag("platform", platform)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(meters);
    }

    private Uni<PushResult> answer(
            String platform,
            Uni<HttpResponse<Buffer>> sent,
            Function<HttpResponse<Buffer>, Uni<PushResult>> onSuccess) {
        long[] started = new long[1];
        return sent.onSubscription()
                .invoke(subscription -> started[0] = System.nanoTime())
                .onItemOrFailure()
                .transformToUni((response, failure) -> {
                    duration(platform)
                            .record(System.nanoTime() - started[0], java.util.concurrent.TimeUnit.NANOSECONDS);
                    if (failure instanceof CappedAnswer.TooLarge tooLarge) {
                        count(platform, "too_large");
                        return Uni.createFrom().item(new PushResult.Failed(tooLarge.getMessage()));
                    }
                    if (failure != null) {
                        count(platform, "unreachable");
                        return Uni.createFrom().item(PushResult.retry("the store could not be reached"));
                    }
                    int status = response.statusCode();
                    count(platform, status == 429 ? "429" : (status / 100) + "xx");
                    if (status >= 200 && status < 300) {
                        return onSuccess.apply(response);
                    }
                    String said = status + " " + abbreviate(response.bodyAsString());
                    if (status == 429 || status == 408 || status >= 500) {
                        return Uni.createFrom()
                                .item(new PushResult.Retry(retryAfter(response.getHeader("Retry-After")), said));
                    }
                    return Uni.createFrom().item(new PushResult.Failed(said));
                });
    }

    static Duration retryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(header.trim()) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }

    @PreDestroy
    void close() {
        client.close();
    }
}
