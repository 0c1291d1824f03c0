package io.dropship.settlement.stripe;

import com.stripe.model.Account;
import com.stripe.net.RequestOptions;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.CustomerUpdateParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Retailers as Stripe customers with a saved payment method, suppliers as connected Express accounts. Each is
 * created once: the Stripe call carries an idempotency key made from the party's id, so a retry (or two requests at
 * once) makes one customer or account, and the row is written after Stripe answered.
 */
@ApplicationScoped
public class Parties {

    public record RetailerBilling(String retailerId, String customerId, String email, String defaultPaymentMethod) {}

    public record SupplierPayouts(
            String supplierId,
            String accountId,
            String status,
            boolean chargesEnabled,
            boolean payoutsEnabled,
            boolean detailsSubmitted,
            String onboardingUrl) {}

    private final StripeGateway stripe;
    private final Pool pool;
    private final String returnUrl;
    private final String refreshUrl;

    public Parties(
            StripeGateway stripe,
            Pool pool,
            @ConfigProperty(name = "dropship.stripe.connect-return-url") String returnUrl,
            @ConfigProperty(name = "dropship.stripe.connect-refresh-url") String refreshUrl) {
        this.stripe = stripe;
        this.pool = pool;
        this.returnUrl = returnUrl;
        this.refreshUrl = refreshUrl;
    }

    /** The retailer's customer with this payment method as its default: created the first time, updated after. */
    public Uni<RetailerBilling> saveRetailer(String retailerId, String email, String paymentMethodId) {
        return retailer(retailerId).chain(existing -> {
            if (existing == null) {
                return stripe.call(c -> c.v1().customers()
                                .create(
                                        CustomerCreateParams.builder()
                                                .setEmail(email)
                                                .setPaymentMethod(paymentMethodId)
                                                .setInvoiceSettings(CustomerCreateParams.InvoiceSettings.builder()
                                                        .setDefaultPaymentMethod(paymentMethodId)
                                                        .build())
                                                .putMetadata("retailerId", retailerId)
                                                .build(),
                                        RequestOptions.builder()
                                                .setIdempotencyKey("customer-" + retailerId)
                                                .build()))
                        .chain(customer -> store(retailerId, customer.getId(), email, paymentMethodId));
            }
            return stripe.call(c -> c.v1().customers()
                            .update(
                                    existing.customerId(),
                                    CustomerUpdateParams.builder()
                                            .setEmail(email)
                                            .setInvoiceSettings(CustomerUpdateParams.InvoiceSettings.builder()
                                                    .setDefaultPaymentMethod(paymentMethodId)
                                                    .build())
                                            .build()))
                    .chain(customer -> store(retailerId, existing.customerId(), email, paymentMethodId));
        });
    }

    public Uni<RetailerBilling> retailer(String retailerId) {
        return pool.preparedQuery(
                        "select customer_id, email, default_payment_method from stripe_customer where retailer_id = $1")
                .execute(Tuple.of(retailerId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new RetailerBilling(retailerId, r.getString(0), r.getString(1), r.getString(2));
                });
    }

    private Uni<RetailerBilling> store(String retailerId, String customerId, String email, String paymentMethod) {
        return pool.preparedQuery(
                        "insert into stripe_customer (retailer_id, customer_id, email, default_payment_method,"
                                + " created_at, updated_at) values ($1, $2, $3, $4, now(), now()) on conflict (retailer_id) do update"
                                + " set email = excluded.email, default_payment_method = excluded.default_payment_method, updated_at = now()")
                .execute(Tuple.of(retailerId, customerId, email, paymentMethod))
                // Payments on hold for want of a (working) method are tried again with the new one.
                .chain(() -> pool.preparedQuery("update payment set next_attempt_at = now(), updated_at = now()"
                                + " where retailer_id = $1 and status = 'ON_HOLD'")
                        .execute(Tuple.of(retailerId)))
                .replaceWith(new RetailerBilling(retailerId, customerId, email, paymentMethod));
    }

    /**
     * The supplier's connected account (created the first time) and a fresh onboarding link: the supplier finishes
     * onboarding on Stripe, and account.updated tells the platform when it can be paid.
     */
    public Uni<SupplierPayouts> connectSupplier(String supplierId, String email) {
        return supplier(supplierId).chain(existing -> {
            Uni<String> account = existing != null
                    ? Uni.createFrom().item(existing.accountId())
                    : stripe.call(c -> c.v1().accounts()
                                    .create(
                                            AccountCreateParams.builder()
                                                    .setType(AccountCreateParams.Type.EXPRESS)
                                                    .setEmail(email)
                                                    .setCapabilities(AccountCreateParams.Capabilities.builder()
                                                            .setTransfers(
                                                                    AccountCreateParams.Capabilities.Transfers.builder()
                                                                            .setRequested(true)
                                                                            .build())
                                                            .build())
                                                    .putMetadata("supplierId", supplierId)
                                                    .build(),
                                            RequestOptions.builder()
                                                    .setIdempotencyKey("account-" + supplierId)
                                                    .build()))
                            .call(a -> pool.preparedQuery(
                                            "insert into stripe_account (supplier_id, account_id, status, created_at,"
                                                    + " updated_at) values ($1, $2, 'ONBOARDING', now(), now()) on conflict (supplier_id) do nothing")
                                    .execute(Tuple.of(supplierId, a.getId())))
                            .map(Account::getId);
            return account.chain(id -> stripe.call(c -> c.v1().accountLinks()
                            .create(AccountLinkCreateParams.builder()
                                    .setAccount(id)
                                    .setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING)
                                    .setReturnUrl(returnUrl)
                                    .setRefreshUrl(refreshUrl)
                                    .build())))
                    .chain(link -> supplier(supplierId)
                            .map(s -> new SupplierPayouts(
                                    supplierId,
                                    s.accountId(),
                                    s.status(),
                                    s.chargesEnabled(),
                                    s.payoutsEnabled(),
                                    s.detailsSubmitted(),
                                    link.getUrl())));
        });
    }

    public Uni<SupplierPayouts> supplier(String supplierId) {
        return pool.preparedQuery("select account_id, status, charges_enabled, payouts_enabled, details_submitted"
                        + " from stripe_account where supplier_id = $1")
                .execute(Tuple.of(supplierId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new SupplierPayouts(
                            supplierId,
                            r.getString(0),
                            r.getString(1),
                            r.getBoolean(2),
                            r.getBoolean(3),
                            r.getBoolean(4),
                            null);
                });
    }
}
