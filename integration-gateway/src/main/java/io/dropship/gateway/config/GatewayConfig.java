package io.dropship.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "dropship")
public interface GatewayConfig {

    DevTokens devTokens();

    Crypto crypto();

    Shopify shopify();

    WooCommerce woocommerce();

    StorePush storePush();

    Stock stock();

    Webhooks webhooks();

    Privacy privacy();

    Accounts accounts();

    Api api();

    Sso sso();

    Notifications notifications();

    /** Notifications (notifications/*): how often e-mails are sent and retried, and how often digests go out. */
    interface Notifications {
        /** How often due e-mails are looked for while there are some. */
        @WithDefault("PT2S")
        Duration mailPoll();

        /**
         * How often at most once none were found: the wait doubles up to this. The consumers that make notifications
         * wake the mailer after their commit; e-mail retries that come due are found within it.
         */
        @WithDefault("PT10S")
        Duration mailIdlePoll();

        /** E-mails per poll and instance. */
        @WithDefault("50")
        int mailBatch();

        /** An SMTP failure is retried after this, doubling, up to backoffMax, at most maxAttempts times. */
        @WithDefault("PT10S")
        Duration backoffInitial();

        @WithDefault("PT30M")
        Duration backoffMax();

        @WithDefault("10")
        int maxAttempts();

        /** A person on DAILY gets at most one digest this often, once something waits for it. */
        @WithDefault("P1D")
        Duration digestEvery();

        /** How often accounts with a digest due are looked for. */
        @WithDefault("PT1M")
        Duration digestPoll();
    }

    /**
     * Single sign-on (SsoResource): the provider is quarkus-oidc's {@code sso} tenant (quarkus.oidc.sso.*); these say
     * how its ID token's groups map onto the platform's staff roles for people who have no account yet.
     */
    interface Sso {
        /** The ID token claim with the person's groups (Keycloak: groups; Entra ID: groups or roles). */
        @WithDefault("groups")
        String groupsClaim();

        /** Groups whose members sign in as admins. */
        @WithDefault("dropship-admins")
        java.util.List<String> adminGroups();

        /** Groups whose members sign in as support agents. */
        @WithDefault("dropship-support")
        java.util.List<String> supportGroups();
    }

    /** The services the one API forwards to (ApiProxy): their internal base URLs, and how calls to them are bounded. */
    interface Api {
        @WithDefault("http://127.0.0.1:8081")
        java.net.URI catalogUrl();

        @WithDefault("http://127.0.0.1:8082")
        java.net.URI orderUrl();

        @WithDefault("http://127.0.0.1:8083")
        java.net.URI inventoryUrl();

        @WithDefault("http://127.0.0.1:8084")
        java.net.URI fulfillmentUrl();

        @WithDefault("http://127.0.0.1:8085")
        java.net.URI settlementUrl();

        @WithDefault("PT2S")
        Duration connectTimeout();

        /** Where callers reach the gateway: stores are told to send their webhooks and redirects here. */
        @WithDefault("http://localhost:8080")
        String publicUrl();

        /** A forwarded call that sends or receives nothing for this long is answered 503. */
        @WithDefault("PT30S")
        Duration timeout();

        /**
         * The same for a supplier's product import ({@code POST /api/supplier/imports}): the service answers once the
         * whole file is in, which for a million rows takes minutes.
         */
        @WithDefault("PT30M")
        Duration importTimeout();

        /** Open connections to each service, at most. */
        @WithDefault("100")
        int connectionsPerService();

        /**
         * Whether a caller's X-Forwarded-For is kept (and the caller's address appended): only behind a load balancer
         * that sets it, with quarkus.http.proxy.* trusting that balancer. Otherwise the caller's address replaces it.
         */
        @WithDefault("false")
        boolean trustForwarded();
    }

    interface Accounts {
        /** Where the links in account mails lead: the frontend's base URL ({@code /verify-email?code=...} and so on). */
        @WithDefault("http://localhost:8080")
        String appUrl();

        /** The sender of account mails. */
        @WithDefault("Dropship <no-reply@dropship.local>")
        String mailFrom();

        /** How long an access token is good for; sign-out and suspension end its session's refresh at once. */
        @WithDefault("PT15M")
        Duration accessTokenLifetime();

        /** How long a session lasts without being refreshed. */
        @WithDefault("P30D")
        Duration sessionLifetime();

        /** Wrong passwords in a row before the account is locked for {@code lockout}. */
        @WithDefault("5")
        int maxFailedSignIns();

        @WithDefault("PT15M")
        Duration lockout();

        /**
         * The e-mail of the installation's first admin: while no admin account exists, an invitation to become one
         * is mailed to it (at start, and hourly while nobody has accepted one).
         */
        java.util.Optional<String> firstAdmin();

        /** Sign-in attempts per client address per minute, whatever the account. */
        @WithDefault("20")
        int signInsPerAddressPerMinute();

        /**
         * Passwords hashed or checked at once (Argon2id takes 19 MiB for each): by default one per processor,
         * which is as fast as more would be.
         */
        java.util.Optional<Integer> passwordLanes();

        /**
         * Sign-ins, sign-ups and password changes that may wait for a lane; past them the gateway answers 503 with
         * Retry-After rather than take more memory.
         */
        @WithDefault("32")
        int passwordQueue();
    }

    interface Privacy {
        /**
         * The services that hold a store customer's personal data and answer a PrivacyRequested with their
         * PrivacyRequestDone, order-service (which finds the customer's orders) first. A request is COMPLETED once
         * every one of them has answered every part.
         */
        @WithDefault("order-service,fulfillment-service")
        java.util.List<String> services();

        /** How long a completed export is kept for the retailer to fetch; then it is deleted. */
        @WithDefault("P30D")
        Duration exportRetention();
    }

    interface Webhooks {
        /** How often store deliveries kept for retry (they could not be processed when they came) are looked for. */
        @WithDefault("PT5S")
        Duration retryPoll();

        /**
         * How long a webhook's body (the store's order, with the customer's name, address and email) is kept. After
         * it the body is emptied; the delivery's row stays, so a late redelivery is still recognized.
         */
        @WithDefault("P30D")
        Duration bodyRetention();

        /** How often bodies past their retention are looked for. */
        @WithDefault("PT1H")
        Duration retentionEvery();

        /**
         * Deliveries an instance takes in at once. A delivery beyond them is kept (one insert) and answered 202 PENDING
         * at once, and the retry job takes it in right behind them: in a burst larger than the fleet keeps up with,
         * a store is answered within its timeout (Shopify's is 5 s) instead of after a queue of transactions.
         */
        @WithDefault("32")
        int maxInFlight();
    }

    interface Stock {
        /** How often each store's quantities are read back and drift corrected. */
        @WithDefault("PT15M")
        Duration reconcileEvery();

        /** How often a store due for reconciliation is looked for. */
        @WithDefault("PT30S")
        Duration reconcilePoll();
    }

    interface Crypto {
        /**
         * The AES-256-GCM key store secrets are sealed with: {@code id:base64} of 32 random bytes (a bare base64 key has
         * id k0). No default: set it per environment (a production start without it is refused by ProductionGuard,
         * which is why it is optional here). Older keys go in {@code dropship.crypto.previous-keys}.
         */
        java.util.Optional<String> key();

        /** Older keys, {@code id:base64}, comma-separated: they open what they sealed, and never seal. */
        java.util.Optional<String> previousKeys();

        /** How often stored secrets sealed under an older key are sealed again under the current one. */
        @WithDefault("PT1H")
        java.time.Duration resealEvery();
    }

    interface DevTokens {
        /** Issue tokens for any role without a credential. Only for the local fleet and demos. */
        @WithDefault("false")
        boolean enabled();
    }

    interface Shopify {
        /** Where a shop's Admin API lives; {shop} is the shop domain. Tests and the demo point it at the fake store. */
        @WithDefault("https://{shop}")
        String adminUrl();

        /** The GraphQL Admin API version called. */
        @WithDefault("2026-04")
        String apiVersion();

        /**
         * At most this many calls a second per shop, from all instances together. Below it the shop's own GraphQL cost
         * budget paces the calls: each takes its cost from the bucket the shop's answers report (2,000 points restored
         * at 100 a second on the Standard plan), and waits while the bucket is short of it.
         */
        @WithDefault("20")
        double callsPerSecond();

        /**
         * Calls to one shop under way at once when listings are created or updated: a synchronous productSet can take
         * a second, so a few overlap and the cost budget, not the answer's time, sets the pace.
         */
        @WithDefault("8")
        int callsInFlight();

        /**
         * The platform's Shopify app (Partner Dashboard: client id and secret). With them a retailer connects a shop in
         * one click (StoreInstalls: OAuth install, offline token, webhook subscriptions); the app's secret signs the
         * install redirects and the shop's webhooks. Without them only the paste-a-token path is there.
         */
        java.util.Optional<String> clientId();

        java.util.Optional<String> clientSecret();

        /** The access scopes the install asks for: what the gateway's calls need, and no more. */
        @WithDefault("read_orders,read_products,write_products,read_inventory,write_inventory,read_locations,"
                + "read_merchant_managed_fulfillment_orders,write_merchant_managed_fulfillment_orders")
        java.util.List<String> scopes();
    }

    interface WooCommerce {
        /** Calls per second per site: WooCommerce sets no limit of its own, its hosts do. */
        @WithDefault("4")
        double callsPerSecond();

        /**
         * A site URL must be https on the public internet ({@code Egress}), so a retailer cannot make the gateway call
         * into the platform's network. Off in dev, tests and the local fleet, whose fake stores are on this machine.
         */
        @WithDefault("true")
        boolean blockPrivateAddresses();
    }

    interface StorePush {
        /** How often due store calls are looked for while there are some. */
        @WithDefault("PT0.5S")
        Duration pollInterval();

        /**
         * How often they are looked for once a look found none. The gateway's own consumers and endpoints wake the
         * store push, listing and stock syncers when they commit work, so this only bounds how long work it is not
         * told about waits: another instance's, or a retry whose time has come. Looking every half second for nothing
         * was most of an idle gateway's CPU.
         */
        @WithDefault("PT5S")
        Duration idlePollInterval();

        /** Store calls claimed per poll. */
        @WithDefault("20")
        int batchSize();

        /**
         * Stock calls to one store that may be under way at once; the store's rate limit spaces their starts. Two keep
         * a store at its rate while a call takes up to twice the spacing (a WooCommerce batch of 100 products at 4
         * calls a second: half a second) and load a small shop's host with no more than two batches at a time.
         */
        @WithDefault("2")
        int callsInFlight();

        /** The first retry waits this long, each next one twice as long, up to backoff-max. */
        @WithDefault("PT2S")
        Duration backoffInitial();

        @WithDefault("PT30M")
        Duration backoffMax();

        /** After this many attempts a store call is FAILED and waits for someone to retry it. */
        @WithDefault("20")
        int maxAttempts();

        /** How long one store call may take. */
        @WithDefault("PT15S")
        Duration timeout();

        /**
         * The largest store answer read (8 MiB): a larger one fails the call with nothing more read, so an answer of
         * any size costs at most this much memory.
         */
        @WithDefault("8388608")
        int maxAnswerBytes();
    }
}
