package io.dropship.platform.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Per-tenant request rate limits at every service's API: a token bucket per retailer, per supplier, per staff user,
 * and per client address for calls without a valid token (webhooks, the public catalog, sign-in). A call past its
 * bucket is answered 429 with Retry-After and does nothing, so one tenant's burst cannot take the API from the others.
 * The tenant is the verified token's, never a claim read from an unverified one (that would let anyone empty another
 * tenant's bucket). Buckets live in this instance's memory, bounded in number and dropped when idle: with N instances
 * a tenant gets up to N times the rate, which is what the limit is sized for.
 */
@ApplicationScoped
public class RateLimits {

    private final boolean enabled;
    private final Bandwidth tenant;
    private final Bandwidth anonymous;
    private final MeterRegistry meters;
    private final CurrentIdentityAssociation identities;
    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();

    public RateLimits(EdgeConfig.RateLimit config, MeterRegistry meters, CurrentIdentityAssociation identities) {
        this.enabled = config.enabled();
        this.tenant = bandwidth(config.tenantPerSecond(), config.tenantBurst());
        this.anonymous = bandwidth(config.anonymousPerSecond(), config.anonymousBurst());
        this.meters = meters;
        this.identities = identities;
        // At 0 from the start, for dashboards and alerts.
        meters.counter("dropship.http.rate.limited", "caller", "anonymous");
        meters.counter("dropship.http.rate.limited", "caller", "tenant");
    }

    private static Bandwidth bandwidth(int perSecond, int burst) {
        return Bandwidth.builder()
                .capacity(Math.max(burst, 1))
                .refillGreedy(Math.max(perSecond, 1), Duration.ofSeconds(1))
                .build();
    }

    @ServerRequestFilter(priority = 100)
    public Uni<Response> limit(HttpServerRequest request) {
        if (!enabled) {
            return Uni.createFrom().nullItem();
        }
        return identities.getDeferredIdentity().onFailure().recoverWithNull().map(identity -> {
            String key = key(identity, request);
            boolean anon = key.startsWith("address:");
            Bucket bucket = buckets.get(
                    key,
                    k -> Bucket.builder().addLimit(anon ? anonymous : tenant).build());
            ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
            if (probe.isConsumed()) {
                return null;
            }
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
            meters.counter("dropship.http.rate.limited", "caller", anon ? "anonymous" : "tenant")
                    .increment();
            return Response.status(429)
                    .type(Problem.MEDIA_TYPE)
                    .header("Retry-After", seconds)
                    .entity(Problem.of(
                            429,
                            "Too Many Requests",
                            "more requests than this " + (anon ? "address" : "account") + " may make; try again in "
                                    + seconds + " s"))
                    .build();
        });
    }

    /** The verified tenant the call is counted against: a retailer, a supplier, a staff user; else the client address. */
    static String key(SecurityIdentity identity, HttpServerRequest request) {
        if (identity != null && !identity.isAnonymous()) {
            if (identity.getPrincipal() instanceof JsonWebToken jwt) {
                Optional<String> retailer = Caller.claim(jwt, Roles.RETAILER_CLAIM);
                if (retailer.isPresent()) {
                    return "retailer:" + retailer.get();
                }
                Optional<String> supplier = Caller.claim(jwt, Roles.SUPPLIER_CLAIM);
                if (supplier.isPresent()) {
                    return "supplier:" + supplier.get();
                }
            }
            return "user:" + identity.getPrincipal().getName();
        }
        return "address:"
                + (request.remoteAddress() == null
                        ? "unknown"
                        : request.remoteAddress().hostAddress());
    }
}
