package io.dropship.fakestores;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.stripe.StripeClient;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Account;
import com.stripe.model.AccountLink;
import com.stripe.model.Customer;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.Transfer;
import com.stripe.model.TransferReversal;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.AccountCreateParams;
import com.stripe.param.AccountLinkCreateParams;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.TransferCreateParams;
import com.stripe.param.TransferReversalCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake Stripe answers stripe-java 33 as Stripe does: objects, errors, and Idempotency-Key replays. */
class FakeStripeTests {

    static FakeStores fakes;
    static FakeStripe stripe;
    static StripeClient client;

    @BeforeAll
    static void start() {
        fakes = FakeStores.start(0);
        stripe = fakes.stripe("sk_test_fake_123");
        client = StripeClient.builder()
                .setApiKey("sk_test_fake_123")
                .setApiBase(fakes.stripeApiBase())
                .setMaxNetworkRetries(0)
                .build();
    }

    @AfterAll
    static void stop() {
        fakes.close();
    }

    static RequestOptions key(String key) {
        return RequestOptions.builder().setIdempotencyKey(key).build();
    }

    @Test
    void aChargeAndTransferGoThroughAndARetriedRequestCountsOnce() throws Exception {
        Customer customer = client.v1()
                .customers()
                .create(CustomerCreateParams.builder()
                        .setEmail("ret@shop.test")
                        .putMetadata("retailerId", "ret-1")
                        .build());
        Account supplier = client.v1()
                .accounts()
                .create(AccountCreateParams.builder()
                        .setType(AccountCreateParams.Type.EXPRESS)
                        .setEmail("sup@acme.test")
                        .build());
        AccountLink link = client.v1()
                .accountLinks()
                .create(AccountLinkCreateParams.builder()
                        .setAccount(supplier.getId())
                        .setType(AccountLinkCreateParams.Type.ACCOUNT_ONBOARDING)
                        .setRefreshUrl("https://x.test/r")
                        .setReturnUrl("https://x.test/done")
                        .build());
        assertTrue(link.getUrl().startsWith("https://connect.stripe.com/"));

        PaymentIntentCreateParams params = PaymentIntentCreateParams.builder()
                .setAmount(4250L)
                .setCurrency("usd")
                .setCustomer(customer.getId())
                .setPaymentMethod("pm_card_visa")
                .setOffSession(true)
                .setConfirm(true)
                .setTransferGroup("order-1")
                .putMetadata("orderId", "order-1")
                .build();
        PaymentIntent pi = client.v1().paymentIntents().create(params, key("order-1-charge"));
        assertEquals("succeeded", pi.getStatus());
        assertEquals(4250L, pi.getAmountReceived());
        assertEquals("order-1", pi.getMetadata().get("orderId"));
        // The same request again (a retry after a lost answer): the same PaymentIntent, nothing charged twice.
        PaymentIntent again = client.v1().paymentIntents().create(params, key("order-1-charge"));
        assertEquals(pi.getId(), again.getId());
        assertEquals(
                1,
                stripe.objects("payment_intent").stream()
                        .filter(o -> "order-1"
                                .equals(o.path("metadata").path("orderId").asText()))
                        .count());
        // The same key for something else is refused.
        IdempotencyException misuse = assertThrows(
                IdempotencyException.class,
                () -> client.v1()
                        .paymentIntents()
                        .create(
                                PaymentIntentCreateParams.builder()
                                        .setAmount(999L)
                                        .setCurrency("usd")
                                        .setCustomer(customer.getId())
                                        .setPaymentMethod("pm_card_visa")
                                        .setConfirm(true)
                                        .build(),
                                key("order-1-charge")));
        assertTrue(misuse.getMessage().contains("same parameters"));

        Transfer transfer = client.v1()
                .transfers()
                .create(
                        TransferCreateParams.builder()
                                .setAmount(3000L)
                                .setCurrency("usd")
                                .setDestination(supplier.getId())
                                .setTransferGroup("order-1")
                                .setSourceTransaction(pi.getLatestCharge())
                                .build(),
                        key("so-1-transfer"));
        assertEquals(pi.getLatestCharge(), transfer.getSourceTransaction());
        TransferReversal reversal = client.v1()
                .transfers()
                .reversals()
                .create(
                        transfer.getId(),
                        TransferReversalCreateParams.builder().setAmount(1000L).build());
        assertEquals(1000L, reversal.getAmount());
        Refund refund = client.v1()
                .refunds()
                .create(RefundCreateParams.builder()
                        .setPaymentIntent(pi.getId())
                        .setAmount(1500L)
                        .build());
        assertEquals("succeeded", refund.getStatus());
        assertEquals(
                4, client.v1().balanceTransactions().list().getData().size(), "charge, transfer, reversal, refund");
    }

    @Test
    void listsArePagedAsStripePagesThemAndFilteredByTheirFields() throws Exception {
        String group = "order-paged-" + System.nanoTime();
        Customer customer = client.v1()
                .customers()
                .create(CustomerCreateParams.builder()
                        .setEmail("pages@shop.test")
                        .build());
        java.util.List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            created.add(client.v1()
                    .paymentIntents()
                    .create(PaymentIntentCreateParams.builder()
                            .setAmount(100L + i)
                            .setCurrency("usd")
                            .setCustomer(customer.getId())
                            .setPaymentMethod("pm_card_visa")
                            .setConfirm(true)
                            .setTransferGroup(group)
                            .build())
                    .getId());
        }
        var firstPage = client.v1()
                .paymentIntents()
                .list(com.stripe.param.PaymentIntentListParams.builder()
                        .setCustomer(customer.getId())
                        .setLimit(10L)
                        .build());
        assertEquals(10, firstPage.getData().size());
        assertTrue(firstPage.getHasMore());
        assertEquals(created.get(24), firstPage.getData().get(0).getId(), "newest first");
        java.util.List<String> all = new java.util.ArrayList<>();
        for (PaymentIntent pi : client.v1()
                .paymentIntents()
                .list(com.stripe.param.PaymentIntentListParams.builder()
                        .setCustomer(customer.getId())
                        .setLimit(7L)
                        .build())
                .autoPagingIterable()) {
            all.add(pi.getId());
        }
        assertEquals(25, all.size(), "every page followed through starting_after, each intent once");
        assertEquals(25, new java.util.HashSet<>(all).size());
    }

    @Test
    void stripesErrorsComeBackAsStripeJavasExceptions() {
        CardException declined = assertThrows(
                CardException.class,
                () -> client.v1()
                        .paymentIntents()
                        .create(PaymentIntentCreateParams.builder()
                                .setAmount(1000L)
                                .setCurrency("usd")
                                .setPaymentMethod("pm_card_chargeDeclinedInsufficientFunds")
                                .setConfirm(true)
                                .setOffSession(true)
                                .build()));
        assertEquals("card_declined", declined.getCode());
        assertEquals("insufficient_funds", declined.getDeclineCode());
        assertEquals(
                "requires_payment_method",
                declined.getStripeError().getPaymentIntent().getStatus());

        stripe.available(100);
        InvalidRequestException broke = assertThrows(
                InvalidRequestException.class,
                () -> client.v1()
                        .transfers()
                        .create(TransferCreateParams.builder()
                                .setAmount(5000L)
                                .setCurrency("usd")
                                .setDestination(account())
                                .build()));
        assertEquals("balance_insufficient", broke.getCode());
        stripe.available(1_000_000_000L);

        stripe.failNext(429);
        RateLimitException limited = assertThrows(
                RateLimitException.class,
                () -> client.v1()
                        .customers()
                        .create(CustomerCreateParams.builder()
                                .setEmail("x@y.test")
                                .build()));
        assertEquals(429, limited.getStatusCode());

        StripeClient wrongKey = StripeClient.builder()
                .setApiKey("sk_test_wrong")
                .setApiBase(fakes.stripeApiBase())
                .build();
        assertThrows(
                com.stripe.exception.AuthenticationException.class,
                () -> wrongKey.v1()
                        .customers()
                        .create(CustomerCreateParams.builder()
                                .setEmail("x@y.test")
                                .build()));
    }

    @Test
    void webhooksAreSignedAsStripeSignsThem() throws Exception {
        String payload =
                "{\"id\":\"evt_1\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\",\"api_version\":\""
                        + com.stripe.Stripe.API_VERSION
                        + "\",\"data\":{\"object\":{\"id\":\"pi_1\",\"object\":\"payment_intent\"}}}";
        long now = System.currentTimeMillis() / 1000;
        Event event = Webhook.constructEvent(payload, FakeStripe.sign("whsec_test", payload, now), "whsec_test", 300);
        assertEquals("payment_intent.succeeded", event.getType());
        assertThrows(
                SignatureVerificationException.class,
                () -> Webhook.constructEvent(payload, FakeStripe.sign("whsec_other", payload, now), "whsec_test", 300));
        assertThrows(
                SignatureVerificationException.class,
                () -> Webhook.constructEvent(
                        payload, FakeStripe.sign("whsec_test", payload, now - 600), "whsec_test", 300));
    }

    @Test
    void finishingOnboardingAndASucceededChargeSendSignedEventsToTheWebhookEndpoint() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<String[]> received = new java.util.concurrent.LinkedBlockingQueue<>();
        com.sun.net.httpserver.HttpServer endpoint =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/webhooks/stripe", exchange -> {
            received.add(new String[] {
                new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                exchange.getRequestHeaders().getFirst("Stripe-Signature")
            });
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        endpoint.start();
        try {
            stripe.webhookEndpoint(
                    "http://127.0.0.1:" + endpoint.getAddress().getPort() + "/webhooks/stripe", "whsec_hook");
            String account = account();
            java.net.http.HttpResponse<String> done = java.net.http.HttpClient.newHttpClient()
                    .send(
                            java.net.http.HttpRequest.newBuilder(java.net.URI.create(fakes.stripeApiBase()
                                            + "/v1/test_helpers/accounts/" + account + "/complete_onboarding"))
                                    .header("Authorization", "Bearer sk_test_fake_123")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, done.statusCode());
            String[] first = received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            Event updated = Webhook.constructEvent(first[0], first[1], "whsec_hook", 300);
            assertEquals("account.updated", updated.getType());
            Account a = (Account) updated.getDataObjectDeserializer().deserializeUnsafe();
            assertEquals(account, a.getId());
            assertTrue(a.getPayoutsEnabled());
            assertEquals("active", a.getCapabilities().getTransfers());

            Customer c = client.v1()
                    .customers()
                    .create(CustomerCreateParams.builder()
                            .setPaymentMethod("pm_card_visa")
                            .build());
            PaymentIntent pi = client.v1()
                    .paymentIntents()
                    .create(PaymentIntentCreateParams.builder()
                            .setAmount(1000L)
                            .setCurrency("usd")
                            .setCustomer(c.getId())
                            .setPaymentMethod("pm_card_visa")
                            .setConfirm(true)
                            .setOffSession(true)
                            .build());
            String[] second = received.poll(10, java.util.concurrent.TimeUnit.SECONDS);
            Event succeeded = Webhook.constructEvent(second[0], second[1], "whsec_hook", 300);
            assertEquals("payment_intent.succeeded", succeeded.getType());
            assertEquals(
                    pi.getId(),
                    ((PaymentIntent) succeeded.getDataObjectDeserializer().deserializeUnsafe()).getId());
        } finally {
            stripe.webhookEndpoint(null, null);
            endpoint.stop(0);
        }
    }

    private static String account() throws Exception {
        return client.v1()
                .accounts()
                .create(AccountCreateParams.builder()
                        .setType(AccountCreateParams.Type.EXPRESS)
                        .build())
                .getId();
    }
}
