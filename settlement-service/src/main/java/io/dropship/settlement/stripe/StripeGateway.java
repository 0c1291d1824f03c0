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
import io.vertx.core.Context;
import io.vertx.core.Vertx;
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

    /**
     * The key is optional here so that a production start without it reaches ProductionGuard, which refuses it with
     * every other missing setting named at once, rather than failing on the first injection point.
     */
    public StripeGateway(
            @ConfigProperty(name = "dropship.stripe.secret-key") java.util.Optional<String> secretKey,
            @ConfigProperty(name = "dropship.stripe.api-base", defaultValue = "https://api.stripe.com") String apiBase,
            @ConfigProperty(name = "dropship.stripe.max-network-retries", defaultValue = "2") int retries) {
        this.client = StripeClient.builder()
                .setApiKey(secretKey.orElse(""))
                .setApiBase(apiBase)
                .setMaxNetworkRetries(retries)
                .build();
    }

    /** A Stripe error as a problem, with what Stripe said kept for whoever decides what to do next. */
    public static final class Failure extends ProblemException {
        private final transient StripeException stripe;

        Failure(int status, String title, String detail, StripeException stripe) {
            super(status, title, detail);
            this.stripe = stripe;
        }

        public StripeException stripe() {
            return stripe;
        }

        /** A declined card: the retailer has to do something; trying again at once would be declined again. */
        public boolean declined() {
            return stripe instanceof CardException;
        }

        /** Stripe did not answer, or asked to slow down: the same call, with the same idempotency key, later. */
        public boolean retryable() {
            return status() == 503;
        }

        /**
         * Stripe refused the request after it ran (a declined card, an invalid request such as balance_insufficient):
         * nothing was done, and Stripe keeps that answer for the idempotency key, so the next try needs a new key.
         */
        public boolean refused() {
            return stripe instanceof CardException || stripe instanceof InvalidRequestException;
        }

        public String code() {
            return stripe.getCode();
        }

        public String declineCode() {
            return stripe instanceof CardException c ? c.getDeclineCode() : null;
        }
    }

    /**
     * Runs the call on a worker thread and hands its answer back on the caller's Vert.x context, if it has one (so
     * that the caller's Hibernate Reactive session can go on with it); Stripe's errors come as {@link Failure}.
     */
    public <T> Uni<T> call(Call<T> call) {
        Context context = Vertx.currentContext();
        Uni<T> uni = Uni.createFrom()
                .item(() -> {
                    try {
                        return call.run(client);
                    } catch (StripeException e) {
                        throw problem(e);
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return context == null ? uni : uni.emitOn(task -> context.runOnContext(v -> task.run()));
    }

    static Failure problem(StripeException e) {
        String said = "Stripe: "
                + (e.getStripeError() == null
                        ? e.getMessage()
                        : e.getStripeError().getMessage());
        if (e instanceof CardException c) {
            return new Failure(
                    402,
                    "Payment Required",
                    said + " (" + c.getCode() + (c.getDeclineCode() == null ? "" : ", " + c.getDeclineCode()) + ")",
                    e);
        }
        if (e instanceof RateLimitException
                || e instanceof ApiConnectionException
                || (e.getStatusCode() != null && e.getStatusCode() >= 500)) {
            return new Failure(503, "Service Unavailable", said + "; try again shortly", e);
        }
        if (e instanceof AuthenticationException) {
            return new Failure(500, "Internal Server Error", "the platform's Stripe key was refused", e);
        }
        if (e instanceof InvalidRequestException || e instanceof IdempotencyException) {
            return new Failure(400, "Bad Request", said, e);
        }
        return new Failure(502, "Bad Gateway", said, e);
    }
}
