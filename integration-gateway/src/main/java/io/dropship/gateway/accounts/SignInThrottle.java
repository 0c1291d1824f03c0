package io.dropship.gateway.accounts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.web.ProblemException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * Password guessing from one address is slowed whatever the account: {@code signInsPerAddressPerMinute} attempts at
 * sign-in, sign-up, refresh and the mail-sending endpoints per client address and minute, then 429 with Retry-After.
 * (Guessing one account from many addresses meets its lock-out instead.)
 */
@ApplicationScoped
public class SignInThrottle {

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterAccess(Duration.ofMinutes(10))
            .build();
    private final int perMinute;

    public SignInThrottle(GatewayConfig config) {
        this.perMinute = config.accounts().signInsPerAddressPerMinute();
    }

    public void check(HttpServerRequest request) {
        String address = request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().host();
        Bucket bucket = buckets.get(
                address,
                a -> Bucket.builder()
                        .addLimit(Bandwidth.builder()
                                .capacity(perMinute)
                                .refillGreedy(perMinute, Duration.ofMinutes(1))
                                .build())
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(
                    1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds());
            throw new ProblemException(
                    429,
                    "Too Many Requests",
                    "too many attempts from this address; retry in " + seconds + " s",
                    Long.valueOf(seconds));
        }
    }
}
