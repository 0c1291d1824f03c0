package io.dropship.settlement.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import io.dropship.platform.web.ProblemException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform's Stripe account through stripe-java. Its calls block, so they run on worker threads; the answer
 * comes back as a Uni. Stripe's own errors become problems with Stripe's words: a declined card 402, a refused
 * request 400, a rate limit or an outage 503 (worth retrying), a bad key 500 (the platform's fault, not the caller's).
 */
@ApplicationScoped
public class StripeGateway {

    /** A call to Stripe. */
    @FunctionalInterface
    public interface Call<T> {
        T run(StripeClient client) throws StripeException;
    }

    private final StripeClient client;

    public StripeGateway(@ConfigProperty(name = "dropship.stripe.secret-key") String secretKey,
                         @ConfigProperty(name = "dropship.stripe.api-base", defaultValue = "https://api.stripe.com") String apiBase,
                         @ConfigProperty(name = "dropship.stripe.max-network-retries", defaultValue = "2") int retries) {
        this.client = StripeClient.builder().setApiKey(secretKey).setApiBase(apiBase).setMaxNetworkRetries(retries).build();
    }

    public <T> Uni<T> call(Call<T> call) {
        return Uni.createFrom().item(() -> {
            try {
                return call.run(client);
            } catch (StripeException e) {
                throw problem(e);
            }
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    static ProblemException problem(StripeException e) {
        String said = "Stripe: " + (e.getStripeError() == null ? e.getMessage() : e.getStripeError().getMessage());
        if (e instanceof CardException c) {
            return new ProblemException(402, "Payment Required", said + " (" + c.getCode()
                    + (c.getDeclineCode() == null ? "" : ", " + c.getDeclineCode()) + ")");
        }
        if (e instanceof RateLimitException || e instanceof ApiConnectionException || (e.getStatusCode() != null && e.getStatusCode() >= 500)) {
            return new ProblemException(503, "Service Unavailable", said + "; try again shortly");
        }
        if (e instanceof AuthenticationException) {
            return new ProblemException(500, "Internal Server Error", "the platform's Stripe key was refused");
        }
        if (e instanceof InvalidRequestException || e instanceof IdempotencyException) {
            return ProblemException.badRequest(said);
        }
        return new ProblemException(502, "Bad Gateway", said);
    }
}
