package io.dropship.platform.web;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Who is calling, as the verified JWT says. Suppliers and retailers only ever see their own data: a
 * resource asks {@link #supplierId()} or {@link #retailerId()} rather than trusting a path or body.
 */
@RequestScoped
public class Caller {

    private final SecurityIdentity identity;
    /**
     * The verified token is the identity's principal. (Not an injected JsonWebToken: where quarkus-oidc runs beside
     * smallrye-jwt, as at the gateway for single sign-on, the injected one is OIDC's, empty for a bearer token.)
     */
    private final JsonWebToken token;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
        this.token = identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) ? null : jwt;
    }

    /** The verified token, when the caller has one. */
    public Optional<JsonWebToken> token() {
        return Optional.ofNullable(token);
    }

    /** The account a token from sign-in names (its subject); empty for tokens from elsewhere (development tokens, API keys). */
    public Optional<java.util.UUID> account() {
        try {
            return Optional.of(java.util.UUID.fromString(token().orElseThrow().getSubject()));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The signed-in account; 404 for a token not issued by sign-in. */
    public java.util.UUID accountId() {
        return account()
                .orElseThrow(() ->
                        ProblemException.notFound("the signed-in account (this token was not issued by sign-in)"));
    }

    public String name() {
        return identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }

    public boolean is(String role) {
        return identity.hasRole(role);
    }

    /** Staff see across tenants: admins, and support agents for reading. */
    public boolean isStaff() {
        return is(Roles.ADMIN) || is(Roles.SUPPORT);
    }

    public Optional<String> supplierClaim() {
        return claim(Roles.SUPPLIER_CLAIM);
    }

    public Optional<String> retailerClaim() {
        return claim(Roles.RETAILER_CLAIM);
    }

    /** The supplier this SUPPLIER token acts for; 403 when the token names none. */
    public String supplierId() {
        return supplierClaim().orElseThrow(() -> ProblemException.forbidden("the token names no supplier"));
    }

    /** The retailer this RETAILER token acts for; 403 when the token names none. */
    public String retailerId() {
        return retailerClaim().orElseThrow(() -> ProblemException.forbidden("the token names no retailer"));
    }

    /**
     * The retailer whose data the call may read: its own for a retailer, any requested one for staff.
     * Empty for staff who asked for no particular retailer.
     */
    public Optional<String> retailerScope(String requested) {
        if (isStaff()) {
            return Optional.ofNullable(requested).filter(r -> !r.isBlank());
        }
        String own = retailerId();
        if (requested != null && !requested.isBlank() && !requested.equals(own)) {
            throw ProblemException.forbidden("a retailer sees only its own data");
        }
        return Optional.of(own);
    }

    private Optional<String> claim(String name) {
        return token == null || token.getRawToken() == null ? Optional.empty() : claim(token, name);
    }

    /** A claim of a verified token as text (JSON string claims come quoted). */
    static Optional<String> claim(JsonWebToken token, String name) {
        Object value = token.getClaim(name);
        return value == null ? Optional.empty() : Optional.of(value.toString().replace("\"", ""));
    }
}
