package io.dropship.fulfillment.service;

import io.dropship.platform.work.OwnContext;
import io.dropship.platform.work.PeriodicJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * POSTs owed supplier-order events to the suppliers' callback endpoints, signed so the supplier can check
 * they came from the platform and are fresh: {@code X-Dropship-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "t.body" with the endpoint's signing secret>}. A 2xx answer delivers; anything else is
 * retried with exponential backoff. The delivery id ({@code X-Dropship-Delivery}) lets the supplier drop a
 * repeat.
 */
@ApplicationScoped
public class CallbackDispatcher {

    private final Vertx vertx;
    private final CallbackDeliveries deliveries;
    private final MeterRegistry meters;
    private final Duration pollInterval;
    private final Duration timeout;
    private final WebClient client;
    private final Duration idlePollInterval;
    private final boolean blockPrivate;
    private volatile PeriodicJob job;

    public CallbackDispatcher(
            Vertx vertx,
            CallbackDeliveries deliveries,
            MeterRegistry meters,
            @ConfigProperty(name = "dropship.callback.poll-interval", defaultValue = "PT1S") Duration pollInterval,
            @ConfigProperty(name = "dropship.callback.idle-poll-interval", defaultValue = "PT5S")
                    Duration idlePollInterval,
            @ConfigProperty(name = "dropship.callback.timeout", defaultValue = "PT10S") Duration timeout,
            @ConfigProperty(name = "dropship.callback.block-private-addresses", defaultValue = "true")
                    boolean blockPrivate) {
        this.blockPrivate = blockPrivate;
        this.vertx = vertx;
        this.deliveries = deliveries;
        this.meters = meters;
        this.pollInterval = pollInterval;
        this.idlePollInterval = idlePollInterval;
        this.timeout = timeout;
        this.client = WebClient.create(
                vertx,
                new WebClientOptions()
                        .setUserAgent("dropship-fulfillment-callbacks")
                        .setConnectTimeout((int) timeout.toMillis())
                        .setFollowRedirects(false));
    }

    /**
     * Looks for owed callbacks every poll interval while it finds some; after a round that finds none the wait doubles
     * up to the idle interval (5 s), and {@link #wake()} looks at once: the consumers that make a delivery wake it
     * after their commit. A retry whose time has come is found within the idle interval.
     */
    void start(@Observes StartupEvent event) {
        job = PeriodicJob.startWakeable(
                vertx.getDelegate(), pollInterval, idlePollInterval, "supplier callback poll", this::poll);
    }

    void stop(@Observes ShutdownEvent event) {
        if (job != null) {
            job.stop();
        }
        client.close();
    }

    /** Work was committed that may owe a supplier a callback: look now rather than at the next idle round. */
    public void wake() {
        PeriodicJob j = job;
        if (j != null) {
            j.wake();
        }
    }

    /** One round: claim what is due and send it, several at a time; whether there was any. */
    Uni<Boolean> poll() {
        return deliveries
                .claim(20)
                .chain(claimed -> Multi.createFrom()
                        .iterable(claimed)
                        .onItem()
                        .transformToUni(d -> OwnContext.run(vertx.getDelegate(), () -> send(d)))
                        .merge(8)
                        .collect()
                        .last()
                        .replaceWith(!claimed.isEmpty()));
    }

    private Uni<Void> send(CallbackDeliveries.Claimed d) {
        if (d.url() == null) {
            return deliveries.retry(d, null, "the supplier's callback endpoint is disabled");
        }
        // Checked again at each send, on the address then connected to: the host's DNS may point elsewhere now than
        // when the URL was saved, or between a check and a connection (rebinding). Resolved off the event loop.
        java.net.URI uri = java.net.URI.create(d.url());
        Uni<java.net.InetAddress> target = !blockPrivate
                ? Uni.createFrom().nullItem()
                : io.dropship.platform.web.Egress.checkedAddressOffLoop(uri);
        return target.onFailure(io.dropship.platform.web.Egress.Refused.class)
                .recoverWithUni(refused -> {
                    meters.counter("dropship.supplier.callbacks", "event", d.event(), "outcome", "refused_address")
                            .increment();
                    return deliveries
                            .retry(
                                    d,
                                    null,
                                    "not sent: the endpoint must be on the public internet (" + refused.getMessage()
                                            + ")")
                            .replaceWith((java.net.InetAddress) null);
                })
                .chain(address -> !blockPrivate || address != null
                        ? post(d, uri, address)
                        : Uni.createFrom().voidItem());
    }

    private Uni<Void> post(CallbackDeliveries.Claimed d, java.net.URI uri, java.net.InetAddress address) {
        long t = Instant.now().getEpochSecond();
        int port = uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        var request = address == null
                ? client.postAbs(d.url())
                : client.requestAbs(
                        io.vertx.core.http.HttpMethod.POST,
                        io.vertx.mutiny.core.net.SocketAddress.inetSocketAddress(port, address.getHostAddress()),
                        d.url());
        // Only the answer's beginning is kept (to show the supplier why it was refused): an endpoint that answers
        // gigabytes costs the platform no more memory than one that answers "ok".
        io.dropship.platform.web.FirstBytes answer = new io.dropship.platform.web.FirstBytes(300);
        return request.as(io.vertx.mutiny.ext.web.codec.BodyCodec.pipe(
                        io.vertx.mutiny.core.streams.WriteStream.newInstance(answer)))
                .timeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("X-Dropship-Event", d.event())
                .putHeader("X-Dropship-Delivery", String.valueOf(d.id()))
                .putHeader("X-Dropship-Signature", signature(d.secret(), t, d.payload()))
                .sendBuffer(Buffer.buffer(d.payload()))
                .onItemOrFailure()
                .transformToUni((response, failure) -> {
                    String outcome;
                    Uni<Void> settle;
                    if (failure != null) {
                        outcome = "unreachable";
                        settle =
                                deliveries.retry(d, null, "the endpoint could not be reached: " + failure.getMessage());
                    } else if (response.statusCode() >= 200 && response.statusCode() < 300) {
                        outcome = "delivered";
                        settle = deliveries.delivered(d.id(), response.statusCode());
                    } else {
                        outcome = "refused";
                        String body = answer.text();
                        settle = deliveries.retry(
                                d,
                                response.statusCode(),
                                "the endpoint answered " + response.statusCode() + (body.isEmpty() ? "" : ": " + body));
                    }
                    meters.counter("dropship.supplier.callbacks", "event", d.event(), "outcome", outcome)
                            .increment();
                    return settle;
                });
    }

    /** {@code t=<unix seconds>,v1=<hex HMAC-SHA256("t.body")>}, as a supplier verifies it. */
    public static String signature(String secret, long t, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
            return "t=" + t + ",v1=" + HexFormat.of().formatHex(digest);
        } catch (Exception e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
