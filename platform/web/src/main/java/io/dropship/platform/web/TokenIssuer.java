package io.dropship.platform.web;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Signs the fleet's short-lived access tokens (RS256, key from {@code smallrye.jwt.sign.key} or
 * {@code smallrye.jwt.sign.key.location}). Used where a service exchanges a credential for a token.
 */
@ApplicationScoped
public class TokenIssuer {

    public record IssuedToken(String accessToken, String tokenType, long expiresIn) {}

    public IssuedToken issue(String subject, Set<String> roles, Map<String, String> claims, Duration lifetime) {
        JwtClaimsBuilder builder =
                Jwt.upn(subject).subject(subject).groups(roles).expiresIn(lifetime);
        claims.forEach(builder::claim);
        return new IssuedToken(builder.sign(), "Bearer", lifetime.toSeconds());
    }
}
