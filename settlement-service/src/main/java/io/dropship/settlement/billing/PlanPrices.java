package io.dropship.settlement.billing;

import com.stripe.net.RequestOptions;
import com.stripe.param.PriceCreateParams;
import com.stripe.param.ProductCreateParams;
import io.dropship.platform.web.ProblemException;
import io.dropship.settlement.domain.CurrencyUnits;
import io.dropship.settlement.domain.Plan;
import io.dropship.settlement.stripe.StripeGateway;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.util.Locale;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Each plan as a product and a monthly price in Stripe, made when first needed from the plan's fee rule. Stripe never
 * changes a price's amount, so a new monthly price (an admin's change) is a new Stripe price that takes over the
 * plan's lookup key ({@code dropship_<plan>_monthly}); subscriptions already on the old price keep it until they change.
 */
@ApplicationScoped
public class PlanPrices {

    /** The plan's Stripe price now. */
    public record PlanPrice(Plan plan, String productId, String priceId, BigDecimal amount, String currency) {}

    private final Mutiny.SessionFactory sessions;
    private final StripeGateway stripe;

    public PlanPrices(Mutiny.SessionFactory sessions, StripeGateway stripe) {
        this.sessions = sessions;
        this.stripe = stripe;
    }

    public Uni<PlanPrice> price(Plan plan) {
        return sessions.withSession(s -> s.createNativeQuery(
                                "select f.monthly_price, f.currency, p.product_id, p.price_id, p.amount"
                                        + " from fee_rule f left join plan_price p on p.plan = f.plan where f.plan = :plan",
                                Object[].class)
                        .setParameter("plan", plan.name())
                        .getResultList())
                .chain(rows -> {
                    if (rows.isEmpty() || rows.get(0)[0] == null) {
                        throw ProblemException.conflict("plan " + plan + " has no monthly price; an admin sets one with"
                                + " PUT /api/fee-rules/" + plan);
                    }
                    Object[] r = rows.get(0);
                    BigDecimal amount = (BigDecimal) r[0];
                    String currency = ((String) r[1]).trim();
                    if (r[3] != null && ((BigDecimal) r[4]).compareTo(amount) == 0) {
                        String product = (String) r[2];
                        String priceId = (String) r[3];
                        // Kept, and still in Stripe (an account switched, or a price deleted by hand, is made again).
                        return stripe.call(c -> c.v1().prices().retrieve(priceId))
                                .map(found -> new PlanPrice(plan, product, priceId, amount, currency))
                                .onFailure(StripeGateway.Failure.class)
                                .recoverWithUni(e -> {
                                    if (!"resource_missing".equals(((StripeGateway.Failure) e).code())) {
                                        return Uni.createFrom().failure(e);
                                    }
                                    return product(plan, null, "-after-" + priceId)
                                            .chain(made -> create(plan, made, amount, currency, "-after-" + priceId));
                                });
                    }
                    return product(plan, (String) r[2], "")
                            .chain(product -> create(plan, product, amount, currency, ""));
                });
    }

    private Uni<String> product(Plan plan, String known, String keySuffix) {
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        String name =
                "Dropship " + plan.name().charAt(0) + plan.name().substring(1).toLowerCase(Locale.ROOT);
        return stripe.call(c -> c.v1().products()
                        .create(
                                ProductCreateParams.builder()
                                        .setName(name)
                                        .setDescription("The " + name
                                                + " plan: a monthly subscription to the dropship platform")
                                        .putMetadata("plan", plan.name())
                                        .build(),
                                RequestOptions.builder()
                                        .setIdempotencyKey("plan-product-" + plan + keySuffix)
                                        .build()))
                .map(p -> p.getId());
    }

    private Uni<PlanPrice> create(Plan plan, String product, BigDecimal amount, String currency, String keySuffix) {
        long minor = CurrencyUnits.toMinor(currency, amount);
        return stripe.call(c -> c.v1().prices()
                        .create(
                                PriceCreateParams.builder()
                                        .setProduct(product)
                                        .setUnitAmount(minor)
                                        .setCurrency(currency.toLowerCase(Locale.ROOT))
                                        .setRecurring(PriceCreateParams.Recurring.builder()
                                                .setInterval(PriceCreateParams.Recurring.Interval.MONTH)
                                                .build())
                                        .setLookupKey("dropship_" + plan.name().toLowerCase(Locale.ROOT) + "_monthly")
                                        .setTransferLookupKey(true)
                                        .putMetadata("plan", plan.name())
                                        .build(),
                                RequestOptions.builder()
                                        .setIdempotencyKey(
                                                "plan-price-" + plan + "-" + minor + "-" + currency + keySuffix)
                                        .build()))
                .chain(price -> sessions.withTransaction(s -> s.createNativeQuery(
                                        "insert into plan_price (plan, product_id,"
                                                + " price_id, amount, currency, updated_at) values (:plan, :prod, :price, :amount, :cur, now())"
                                                + " on conflict (plan) do update set product_id = excluded.product_id, price_id = excluded.price_id,"
                                                + " amount = excluded.amount, currency = excluded.currency, updated_at = now()")
                                .setParameter("plan", plan.name())
                                .setParameter("prod", product)
                                .setParameter("price", price.getId())
                                .setParameter("amount", amount)
                                .setParameter("cur", currency)
                                .executeUpdate())
                        .replaceWith(new PlanPrice(plan, product, price.getId(), amount, currency)));
    }
}
