package io.dropship.gateway.accounts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.web.ProblemException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import java.lang.reflect.Proxy;
import org.junit.jupiter.api.Test;

/** Guessing from one address is slowed whatever account it guesses; another address is not held back by it. */
class SignInThrottleTests {

    private static <T> T only(Class<T> type, String method, Object answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getName().equals(method)) {
                return answer;
            }
            throw new UnsupportedOperationException(m.getName());
        }));
    }

    private static HttpServerRequest from(String address) {
        return only(HttpServerRequest.class, "remoteAddress", SocketAddress.inetSocketAddress(40000, address));
    }

    @Test
    void theAttemptsPastTheLimitFromOneAddressAre429WithRetryAfter() {
        GatewayConfig.Accounts accounts = only(GatewayConfig.Accounts.class, "signInsPerAddressPerMinute", 3);
        SignInThrottle throttle = new SignInThrottle(only(GatewayConfig.class, "accounts", accounts));
        for (int i = 0; i < 3; i++) {
            throttle.check(from("203.0.113.7"));
        }
        ProblemException refused = assertThrows(ProblemException.class, () -> throttle.check(from("203.0.113.7")));
        assertEquals(429, refused.status());
        assertTrue(
                refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 60,
                String.valueOf(refused.retryAfterSeconds()));
        throttle.check(from("198.51.100.9"));
    }
}
