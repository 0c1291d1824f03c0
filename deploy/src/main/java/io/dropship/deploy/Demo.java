package io.dropship.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The order flow on the running fleet, as each party sees it: two suppliers are onboarded and list
 * products with stock; a retailer lists them (a primary and a backup supplier) and connects a Shopify and a
 * WooCommerce store, both local fakes of the stores' Admin APIs. Then three scenes: a Shopify order one
 * supplier ships whole (delivered twice, and forged once), its tracking landing at the store as a
 * fulfillment; a WooCommerce order split across both suppliers, two tracking notes and the order completed;
 * five orders racing for the last three units; a supplier rejecting an order (it moves to the backup) and
 * the store cancelling another (its stock comes back). Every step goes through the services' public APIs, the
 * stores' webhooks and Kafka, nothing else.
 */
final class Demo {

    /** Every call goes to the gateway's one API (port 8080): the services' own ports are internal. */
    private final String gateway;

    private final String fakeStores = "http://127.0.0.1:" + Fleet.FAKE_STORES_PORT;
    private final Instant started = Instant.now();
    /** The demo retailer's password; its account is new on every run. */
    private static final String DEMO_PASSWORD =
            "demo passphrase " + UUID.randomUUID().toString().substring(0, 8);

    private final Scenario scenario;

    private Demo(List<Fleet.Service> services) {
        gateway = Fleet.url(services, "integration-gateway");
        scenario = new Scenario(gateway, fakeStores);
    }

    static boolean run(List<Fleet.Service> services) {
        return failure(services) == null;
    }

    /** Runs the story; null when it ran to the end, else what failed (also printed), for a test to report. */
    static String failure(List<Fleet.Service> services) {
        try {
            new Demo(services).story();
            return null;
        } catch (Exception e) {
            System.out.println("demo: FAILED  " + e);
            return e.toString();
        }
    }

    private void story() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String admin = localAdmin();
        String support = invitedSupport(admin, run);

        String[] acmeAccount = signedUpSupplier(admin, "Acme Home " + run, "acme-" + run, "US-CA");
        String[] globexAccount = signedUpSupplier(admin, "Globex Apparel " + run, "globex-" + run, "GB");
        String acme = acmeAccount[0];
        String globex = globexAccount[0];
        String acmeToken = acmeAccount[1];
        String globexToken = globexAccount[1];
        step("suppliers signed up as people do (confirmation mails read from the fleet's mail server) and signed in;"
                + " the admin passed their verification steps");
        scenario.product(acmeToken, "MUG-BLK-12", "Black mug 12oz", "6.20", "3.50", 40);
        scenario.product(acmeToken, "CAP-RED", "Red cap", "4.10", "2.50", 20);
        scenario.product(acmeToken, "LAMP-01", "Desk lamp", "18.00", "6.00", 3);
        scenario.product(globexToken, "MUG-12-BLACK", "Black mug 12oz", "6.90", "2.90", 25);
        scenario.product(globexToken, "TEE-WHT-M", "White tee M", "7.50", "2.00", 10);
        step("suppliers Acme (%s, US-CA) and Globex (%s, GB) approved; products and stock listed", acme, globex);
        // Each supplier fills in Stripe's onboarding form; Stripe tells the platform with account.updated.
        scenario.paidByStripe(acmeToken, "payouts@" + acme + ".test");
        scenario.paidByStripe(globexToken, "payouts@" + globex + ".test");
        step("both suppliers onboarded to Stripe Connect (Express accounts; account.updated says they can be paid)");

        // The retailer signs up as a person does: its account, the confirmation mail (read from the fleet's mail
        // server), and sign-in.
        String retailerEmail = "owner-" + run + "@demo-shop.test";
        Accounts.User retailerUser = Accounts.retailer(gateway, "Demo Shop " + run, retailerEmail, DEMO_PASSWORD);
        String retailerToken = retailerUser.token();
        String retailer = retailerUser.id();
        step(
                "retailer %s signed up as %s, confirmed the address from its mail, and signed in",
                retailer, retailerEmail);
        String customer = scenario.payingRetailer(retailerToken, "billing@" + retailer + ".test");
        List<String> listings = List.of(
                scenario.listing(
                        retailerToken, "STORE-MUG", "Black mug", acme + "|MUG-BLK-12", globex + "|MUG-12-BLACK"),
                scenario.listing(retailerToken, "STORE-TEE", "White tee", globex + "|TEE-WHT-M"),
                scenario.listing(retailerToken, "STORE-CAP", "Red cap", acme + "|CAP-RED"),
                scenario.listing(retailerToken, "STORE-LAMP", "Desk lamp", acme + "|LAMP-01"));
        scenario.awaitRoutable(support, listings, Duration.ofSeconds(30));
        step(
                "retailer %s (Stripe customer %s, card saved) listed STORE-MUG (Acme, backup Globex), STORE-TEE (Globex),"
                        + " STORE-CAP and STORE-LAMP (Acme)",
                retailer, customer);

        // The retailer's two stores, both behind the fleet's local fake store server, connected in one click as store
        // apps are: Shopify's app install (the owner approves the scopes; the gateway exchanges the code for a token
        // and subscribes to the shop's webhooks) and WooCommerce's key request (the site posts the keys; the gateway
        // creates its webhooks there).
        String shop = "demo-" + run + ".myshopify.com";
        String shopSecret = Fleet.LOCAL_SHOPIFY_CLIENT_SECRET;
        Api.ok("POST", fakeStores + "/_fake/shopify/" + shop, null, "{\"accessToken\":\"not-installed\"}");
        String shopAuthorize = Api.ok(
                        "POST",
                        gateway + "/api/stores/shopify/install",
                        retailerToken,
                        "{\"shopDomain\":\"" + shop + "\"}")
                .get("authorizeUrl")
                .asText();
        String shopLanding = Api.redirect(Api.redirect(shopAuthorize));
        String shopStoreId = shopLanding.replaceFirst("^.*/stores/", "").replaceFirst("\\?.*$", "");
        int subscriptions = Api.ok("GET", fakeStores + "/_fake/shopify/" + shop + "/webhooks", null, null)
                .size();
        String siteName = "woo-" + run;
        String site = fakeStores + "/woo/" + siteName;
        Api.ok(
                "POST",
                fakeStores + "/_fake/woo/" + siteName,
                null,
                "{\"consumerKey\":\"ck_none\",\"consumerSecret\":\"cs_none\"}");
        String wooAuthorize = Api.ok(
                        "POST",
                        gateway + "/api/stores/woocommerce/connect",
                        retailerToken,
                        "{\"siteUrl\":\"" + site + "\"}")
                .get("authorizeUrl")
                .asText();
        Api.redirect(wooAuthorize);
        JsonNode wooHooks = Api.ok("GET", fakeStores + "/_fake/woo/" + siteName + "/webhooks", null, null);
        String wooSecret = wooHooks.get(0).get("secret").asText();
        step(
                "Shopify %s connected in one click (app installed, %d webhook subscriptions); WooCommerce %s connected in"
                        + " one click (keys approved, %d webhooks created)",
                shop, subscriptions, site, wooHooks.size());
        listInStore(retailerToken, shopStoreId, shop, acme, acmeToken);

        // Scene 1: a Shopify order one supplier can ship whole, delivered twice, and a forged copy.
        System.out.println();
        long shopifyOrder = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        byte[] body = ShopifyWebhooks.order(
                shopifyOrder, new String[] {"STORE-MUG", "STORE-TEE"}, new int[] {2, 1}, new String[] {"14.99", "19.00"
                });
        scenario.shopifyOrder(shop, shopifyOrder, new int[] {2, 1});
        String eventId = UUID.randomUUID().toString();
        HttpResponse<String> first = shopify(shop, shopSecret, "orders/paid", eventId, body);
        String orderId = accepted(first);
        Instant placed = Instant.now();
        step(
                "scene 1, Shopify: signed orders/paid for order %d (2 mugs, 1 tee) answered %d %s",
                shopifyOrder,
                first.statusCode(),
                Api.JSON.readTree(first.body()).get("outcome").asText());
        HttpResponse<String> again = shopify(shop, shopSecret, "orders/paid", eventId, body);
        HttpResponse<String> forged =
                shopify(shop, "not-the-secret", "orders/paid", UUID.randomUUID().toString(), body);
        expect(
                again.statusCode() == 200
                        && "DUPLICATE"
                                .equals(Api.JSON
                                        .readTree(again.body())
                                        .path("outcome")
                                        .asText()),
                "the repeated delivery answered 200 DUPLICATE, not %d %s",
                again.statusCode(),
                again.body());
        expect(forged.statusCode() == 401, "the forged delivery answered 401, not %d", forged.statusCode());
        step(
                "the same delivery again: %d %s; a forged signature: %d %s",
                again.statusCode(),
                Api.JSON.readTree(again.body()).path("outcome").asText(),
                forged.statusCode(),
                Api.JSON.readTree(forged.body()).path("detail").asText());
        JsonNode order = awaitReserved(orderId, retailerToken, 1);
        JsonNode so = order.get("supplierOrders").get(0);
        expect(
                so.get("supplierId").asText().equals(globex),
                "the mug and the tee to Globex, the one supplier with both");
        step(
                "routed and reserved in %d ms: one supplier order to %s, the one supplier that ships both lines",
                Duration.between(placed, Instant.now()).toMillis(),
                name(so.get("supplierId").asText(), acme, globex));
        ship(
                so,
                acme,
                acmeToken,
                globex,
                globexToken,
                "Royal Mail",
                "RM" + run.toUpperCase() + "GB",
                "https://www.royalmail.com/track-your-item#/tracking-results/RM" + run.toUpperCase() + "GB");
        JsonNode atShopify = Api.await(
                fakeStores + "/_fake/shopify/" + shop + "/orders/" + shopifyOrder,
                null,
                o -> o.get("fulfillments").size() == 1,
                Duration.ofSeconds(30));
        JsonNode created = atShopify.get("fulfillments").get(0);
        expect(
                "Royal Mail".equals(created.get("company").asText())
                        && created.get("number").asText().startsWith("RM")
                        && created.get("notifyCustomer").asBoolean(),
                "the Shopify fulfillment to carry the tracking: %s",
                created);
        step(
                "Globex shipped; the Shopify store has fulfillment %s: %s %s, customer notified: %s",
                created.get("id").asText(),
                created.get("company").asText(),
                created.get("number").asText(),
                created.get("notifyCustomer").asBoolean());

        // Scene 2: a WooCommerce order no single supplier can ship: split, shipped in two parcels.
        System.out.println();
        long wooOrder = 20_000 + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000L);
        byte[] wooBody = WooWebhooks.order(
                wooOrder, new String[] {"STORE-MUG", "STORE-TEE", "STORE-CAP"}, new int[] {1, 1, 2}, new String[] {
                    "14.99", "19.00", "9.50"
                });
        Api.ok(
                "POST",
                fakeStores + "/_fake/woo/" + siteName + "/orders",
                null,
                "{\"id\":" + wooOrder
                        + ",\"status\":\"processing\",\"lineItems\":[{\"id\":" + (wooOrder * 10)
                        + ",\"quantity\":1},{\"id\":"
                        + (wooOrder * 10 + 1) + ",\"quantity\":1},{\"id\":" + (wooOrder * 10 + 2)
                        + ",\"quantity\":2}]}");
        HttpResponse<String> woo = Api.deliver(WooWebhooks.orderCreated(gateway, site, wooSecret, wooBody));
        String wooOrderId = accepted(woo);
        placed = Instant.now();
        step(
                "scene 2, WooCommerce: signed order.created for order %d (mug, tee, 2 caps) answered %d %s",
                wooOrder,
                woo.statusCode(),
                Api.JSON.readTree(woo.body()).get("outcome").asText());
        JsonNode split = awaitReserved(wooOrderId, retailerToken, 2);
        StringBuilder parts = new StringBuilder();
        Map<String, List<String>> skusBySupplier = new TreeMap<>();
        for (JsonNode part : split.get("supplierOrders")) {
            skusBySupplier.put(
                    name(part.get("supplierId").asText(), acme, globex),
                    part.get("lines").findValues("sku").stream()
                            .map(JsonNode::asText)
                            .sorted()
                            .toList());
            parts.append(parts.length() > 0 ? "; " : "")
                    .append(name(part.get("supplierId").asText(), acme, globex))
                    .append(": ")
                    .append(part.get("lines").findValues("sku").stream()
                            .map(JsonNode::asText)
                            .toList());
        }
        expect(
                skusBySupplier.equals(Map.of("Acme", List.of("CAP-RED", "MUG-BLK-12"), "Globex", List.of("TEE-WHT-M"))),
                "the mug and the caps to Acme, the tee to Globex: %s",
                skusBySupplier);
        step(
                "split in %d ms into two supplier orders (no supplier has all three; Acme is cheaper for the mug): %s",
                Duration.between(placed, Instant.now()).toMillis(), parts);
        int parcel = 0;
        for (JsonNode part : split.get("supplierOrders")) {
            parcel++;
            ship(
                    part,
                    acme,
                    acmeToken,
                    globex,
                    globexToken,
                    parcel == 1 ? "UPS" : "DHL",
                    (parcel == 1 ? "1Z" : "JD") + run.toUpperCase() + parcel,
                    null);
        }
        JsonNode atWoo = Api.await(
                fakeStores + "/_fake/woo/" + siteName + "/orders/" + wooOrder,
                null,
                o -> "completed".equals(o.get("status").asText())
                        && o.get("notes").size() == 2,
                Duration.ofSeconds(30));
        step(
                "both shipped; the WooCommerce order has 2 customer notes (\"%s\", ...) and is %s",
                atWoo.at("/notes/0/note").asText(), atWoo.get("status").asText());

        // Scene 3: five customers want the last three lamps at the same moment.
        System.out.println();
        List<String> lampOrders = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> racing = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            long id = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
            byte[] lamp = ShopifyWebhooks.order(id, new String[] {"STORE-LAMP"}, new int[] {1}, new String[] {"49.00"});
            racing.add(Api.deliverAsync(ShopifyWebhooks.webhook(
                    gateway,
                    shop,
                    "orders/paid",
                    ShopifyWebhooks.sign(shopSecret, lamp),
                    UUID.randomUUID().toString(),
                    lamp)));
        }
        for (var r : racing) {
            lampOrders.add(accepted(r.get()));
        }
        Map<String, Integer> outcome = new TreeMap<>();
        String holdReason = null;
        for (String id : lampOrders) {
            JsonNode o = Api.await(
                    gateway + "/api/orders/" + id,
                    retailerToken,
                    x -> "ON_HOLD".equals(x.get("status").asText())
                            || (x.get("supplierOrders").size() > 0
                                    && "RESERVED"
                                            .equals(x.get("supplierOrders")
                                                    .get(0)
                                                    .get("status")
                                                    .asText())),
                    Duration.ofSeconds(30));
            boolean held = o.get("status").asText().equals("ON_HOLD");
            outcome.merge(held ? "on hold" : "reserved", 1, Integer::sum);
            if (held) {
                holdReason = o.get("holdReason").asText().replaceFirst("^line \\S+ ", "the line ");
            }
        }
        JsonNode lamps = Api.ok("GET", gateway + "/api/supplier/stock/LAMP-01", acmeToken, null);
        expect(
                outcome.getOrDefault("reserved", 0) == 3
                        && outcome.getOrDefault("on hold", 0) == 2
                        && lamps.get("reserved").asInt() == 3
                        && lamps.get("available").asInt() == 0,
                "exactly 3 lamps reserved and 2 orders on hold, no lamp sold twice: %s, %s",
                outcome,
                lamps);
        step(
                "scene 3, a race: 5 orders for the last 3 lamps at once: %d reserved, %d on hold (%s); Acme's lamps: on hand %d,"
                        + " reserved %d, available %d",
                outcome.getOrDefault("reserved", 0),
                outcome.getOrDefault("on hold", 0),
                holdReason,
                lamps.get("onHand").asInt(),
                lamps.get("reserved").asInt(),
                lamps.get("available").asInt());
        JsonNode soldOut = Api.await(
                fakeStores + "/_fake/shopify/" + shop + "/inventory",
                null,
                i -> i.at("/quantities/SHOP-LAMP").asInt(-1) == 0,
                Duration.ofSeconds(30));
        step(
                "the lamps are all reserved, so the Shopify store now shows SHOP-LAMP %d",
                soldOut.at("/quantities/SHOP-LAMP").asInt());

        // Scene 4: a supplier rejects an order (it goes to the backup), and the store cancels another.
        System.out.println();
        long mugOrder = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        byte[] mugBody =
                ShopifyWebhooks.order(mugOrder, new String[] {"STORE-MUG"}, new int[] {1}, new String[] {"14.99"});
        String mugOrderId = accepted(
                shopify(shop, shopSecret, "orders/paid", UUID.randomUUID().toString(), mugBody));
        JsonNode toAcme = awaitReserved(mugOrderId, retailerToken, 1);
        String rejectedId = toAcme.at("/supplierOrders/0/supplierOrderId").asText();
        Api.await(gateway + "/api/supplier/orders/" + rejectedId, acmeToken, o -> true, Duration.ofSeconds(30));
        Api.ok(
                "POST",
                gateway + "/api/supplier/orders/" + rejectedId + "/reject",
                acmeToken,
                "{\"reason\":\"glaze flaw in this batch\"}");
        JsonNode rerouted = Api.await(
                gateway + "/api/orders/" + mugOrderId,
                retailerToken,
                o -> o.get("supplierOrders").size() == 2
                        && "RESERVED".equals(o.at("/supplierOrders/1/status").asText()),
                Duration.ofSeconds(30));
        expect(
                rerouted.at("/supplierOrders/1/supplierId").asText().equals(globex)
                        && "REJECTED"
                                .equals(rerouted.at("/supplierOrders/0/status").asText()),
                "the rejected mug order re-routed to the backup, Globex: %s",
                rerouted);
        step(
                "scene 4: Acme rejected a mug order (\"glaze flaw in this batch\"); it was re-routed to %s and reserved there (%s, %s)",
                name(rerouted.at("/supplierOrders/1/supplierId").asText(), acme, globex),
                rerouted.at("/supplierOrders/0/status").asText(),
                rerouted.at("/supplierOrders/1/status").asText());

        long capOrder = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        byte[] capBody =
                ShopifyWebhooks.order(capOrder, new String[] {"STORE-CAP"}, new int[] {3}, new String[] {"9.50"});
        String capOrderId = accepted(
                shopify(shop, shopSecret, "orders/paid", UUID.randomUUID().toString(), capBody));
        JsonNode capReserved = awaitReserved(capOrderId, retailerToken, 1);
        // Acme is given the order once the retailer's card is charged; the store cancels it after that.
        Api.await(
                gateway + "/api/supplier/orders/"
                        + capReserved.at("/supplierOrders/0/supplierOrderId").asText(),
                acmeToken,
                o -> "RECEIVED".equals(o.get("status").asText()),
                Duration.ofSeconds(30));
        int capsBefore = Api.ok("GET", gateway + "/api/supplier/stock/CAP-RED", acmeToken, null)
                .get("available")
                .asInt();
        byte[] cancelBody = Api.JSON
                .createObjectNode()
                .put("id", capOrder)
                .put("cancel_reason", "customer")
                .put("cancelled_at", Instant.now().toString())
                .toString()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> cancel =
                shopify(shop, shopSecret, "orders/cancelled", UUID.randomUUID().toString(), cancelBody);
        JsonNode capCancelled = Api.await(
                gateway + "/api/orders/" + capOrderId,
                retailerToken,
                o -> "CANCELLED".equals(o.get("status").asText()),
                Duration.ofSeconds(30));
        String capSo = capReserved.at("/supplierOrders/0/supplierOrderId").asText();
        JsonNode atAcme = Api.await(
                gateway + "/api/supplier/orders/" + capSo,
                acmeToken,
                o -> "CANCELLED".equals(o.get("status").asText()),
                Duration.ofSeconds(30));
        JsonNode caps = Api.await(
                gateway + "/api/supplier/stock/CAP-RED",
                acmeToken,
                c -> c.get("available").asInt() == capsBefore + 3,
                Duration.ofSeconds(30));
        expect(
                "ORDER_CANCELLED"
                        .equals(Api.JSON.readTree(cancel.body()).get("outcome").asText()),
                "the store's cancellation answered ORDER_CANCELLED: %s",
                cancel.body());
        step(
                "the store cancelled a reserved order for 3 caps: webhook %s; order %s (%s); Acme's copy %s; caps available %d -> %d",
                Api.JSON.readTree(cancel.body()).get("outcome").asText(),
                capCancelled.get("status").asText(),
                capCancelled.get("cancellationReason").asText(),
                atAcme.get("status").asText(),
                capsBefore,
                caps.get("available").asInt());

        Api.ok(
                "POST",
                gateway + "/api/supplier/orders/" + so.get("supplierOrderId").asText() + "/deliver",
                globexToken,
                null);
        JsonNode shipped = Api.await(
                gateway + "/api/orders/" + orderId,
                retailerToken,
                o -> "DELIVERED".equals(o.get("status").asText()),
                Duration.ofSeconds(30));
        privacy(
                shop,
                shopSecret,
                shopifyOrder,
                orderId,
                so.get("supplierOrderId").asText(),
                retailerToken,
                globexToken);
        JsonNode invoice = Api.await(
                gateway + "/api/invoices/" + wooOrderId,
                retailerToken,
                i -> i.get("lines").size() == 2,
                Duration.ofSeconds(30));
        JsonNode tees = Api.ok("GET", gateway + "/api/supplier/stock/TEE-WHT-M", globexToken, null);
        System.out.println();
        System.out.println("What each party sees now:");
        System.out.printf(
                "  retailer  Shopify order %s is %s; tracking %s %s%n",
                shipped.get("orderNumber").asText(),
                shipped.get("status").asText(),
                shipped.at("/supplierOrders/0/tracking/carrier").asText(),
                shipped.at("/supplierOrders/0/tracking/trackingNumber").asText());
        for (JsonNode line : invoice.get("lines")) {
            System.out.printf(
                    "  retailer  invoice for the WooCommerce order, %s: wholesale %s + shipping %s + platform fee %s (%s plan)%n",
                    name(line.get("supplierId").asText(), acme, globex),
                    line.get("wholesaleTotal").asText(),
                    line.get("shippingCost").asText(),
                    line.get("platformFee").asText(),
                    line.get("plan").asText());
        }
        System.out.printf(
                "  retailer  invoice total %s %s%n",
                invoice.get("total").asText(), invoice.get("currency").asText());
        checkInvoice(invoice, acme, globex);
        // Settled: nothing still due, and the cancelled cap order either never charged or refunded in full.
        JsonNode payments = Api.await(
                        gateway + "/api/billing/payments",
                        retailerToken,
                        page -> page.get("items").size() >= 2
                                && page.get("items").findValues("status").stream()
                                        .noneMatch(v -> "DUE".equals(v.asText()))
                                && java.util.stream.StreamSupport.stream(
                                                page.get("items").spliterator(), false)
                                        .filter(x -> capOrderId.equals(
                                                x.get("orderId").asText()))
                                        .allMatch(x -> "CANCELLED"
                                                        .equals(x.get("status").asText())
                                                || x.get("refunded")
                                                        .asText()
                                                        .equals(x.get("amount").asText())),
                        Duration.ofSeconds(60))
                .get("items");
        Map<String, String> paymentOf = new TreeMap<>();
        for (JsonNode p : payments) {
            paymentOf.put(
                    p.get("orderId").asText(),
                    p.get("amount").asText() + " " + p.get("status").asText() + " refunded "
                            + p.get("refunded").asText());
            System.out.printf(
                    "  retailer  payment for order %s: %s %s, %s%s%n",
                    p.get("orderNumber").asText(),
                    p.get("amount").asText(),
                    p.get("currency").asText(),
                    p.get("status").asText(),
                    p.get("refunded").asText().equals("0.00")
                            ? ""
                            : ", refunded " + p.get("refunded").asText() + " (cancelled before shipping)");
        }
        expect(
                paymentOf.get(wooOrderId) != null
                        && paymentOf.get(wooOrderId).equals(invoice.get("total").asText() + " SUCCEEDED refunded 0.00"),
                "the WooCommerce order paid once, its invoice total: %s",
                paymentOf);
        String capCharge = paymentOf.getOrDefault(capOrderId, "");
        expect(
                capCharge.isEmpty()
                        || capCharge.endsWith("CANCELLED refunded 0.00")
                        || capCharge.endsWith("SUCCEEDED refunded " + capCharge.split(" ")[0]),
                "the cancelled cap order never charged, or refunded in full: %s",
                capCharge);
        checkTransfers(wooOrderId, invoice, null);
        checkTransfers(
                orderId,
                Api.await(
                        gateway + "/api/invoices/" + orderId,
                        retailerToken,
                        i -> i.get("lines").size() == 1,
                        Duration.ofSeconds(30)),
                globex);
        System.out.printf(
                "  store     Shopify order %d: %d fulfillment with tracking; WooCommerce order %d: %s, %d tracking notes%n",
                shopifyOrder,
                atShopify.get("fulfillments").size(),
                wooOrder,
                atWoo.get("status").asText(),
                atWoo.get("notes").size());
        System.out.printf(
                "  supplier  Globex: TEE-WHT-M on hand %d, reserved %d, available %d; Acme: LAMP-01 available %d%n",
                tees.get("onHand").asInt(),
                tees.get("reserved").asInt(),
                tees.get("available").asInt(),
                lamps.get("available").asInt());
        exceptions(
                run,
                shop,
                shopSecret,
                retailerToken,
                retailerEmail,
                support,
                wooOrderId,
                acme,
                acmeToken,
                globex,
                globexToken,
                lampOrders);
        business(run, admin, retailerToken, acmeToken);
        System.out.printf(
                "demo: OK  in %.1f s%n",
                Duration.between(started, Instant.now()).toMillis() / 1000.0);
    }

    /**
     * Scene 6, the exceptions of daily work: held orders recover when stock returns; a damaged item is resolved by a
     * reship at no charge; a cardholder disputes a charge and support wins it with evidence; a retailer returns one
     * unit, which the supplier authorises and receives before anyone is refunded; and the e-mails people got.
     */
    private void exceptions(
            String run,
            String shop,
            String shopSecret,
            String retailerToken,
            String retailerEmail,
            String support,
            String wooOrderId,
            String acme,
            String acmeToken,
            String globex,
            String globexToken,
            List<String> lampOrders)
            throws Exception {
        System.out.println();
        // Held orders recover: Acme restocks the lamp, and the two held lamp orders route and reserve by themselves.
        List<String> held = new ArrayList<>();
        for (String id : lampOrders) {
            if ("ON_HOLD"
                    .equals(Api.ok("GET", gateway + "/api/orders/" + id, retailerToken, null)
                            .get("status")
                            .asText())) {
                held.add(id);
            }
        }
        Api.ok("PUT", gateway + "/api/supplier/stock/LAMP-01", acmeToken, "{\"quantity\":5}");
        int recovered = 0;
        for (String id : held) {
            JsonNode o = Api.await(
                    gateway + "/api/orders/" + id,
                    retailerToken,
                    x -> !"ON_HOLD".equals(x.get("status").asText())
                            && java.util.stream.StreamSupport.stream(
                                            x.get("supplierOrders").spliterator(), false)
                                    .anyMatch(so ->
                                            "RESERVED".equals(so.get("status").asText())),
                    Duration.ofSeconds(60));
            recovered += "ROUTED".equals(o.get("status").asText()) ? 1 : 0;
        }
        expect(recovered == 2, "both held lamp orders routed once Acme restocked: %d", recovered);
        step(
                "scene 6: Acme restocked lamps (5 on hand): the 2 held lamp orders were routed and reserved by themselves");

        // A damaged tee: the retailer opens a case, Globex answers, support resolves it with a reship at no charge.
        JsonNode wooOrder = Api.ok("GET", gateway + "/api/orders/" + wooOrderId, retailerToken, null);
        JsonNode teePart = null;
        JsonNode mugPart = null;
        for (JsonNode part : wooOrder.get("supplierOrders")) {
            if (part.get("supplierId").asText().equals(globex)) {
                teePart = part;
            } else {
                mugPart = part;
            }
        }
        String teeSo = teePart.get("supplierOrderId").asText();
        JsonNode opened = Api.ok(
                "POST",
                gateway + "/api/cases",
                retailerToken,
                "{\"orderId\":\"" + wooOrderId
                        + "\",\"supplierOrderId\":\"" + teeSo
                        + "\",\"kind\":\"DAMAGED_ITEM\",\"subject\":\"The tee arrived torn\","
                        + "\"message\":\"The customer sent a photo.\",\"attachments\":[{\"name\":\"tee.jpg\","
                        + "\"url\":\"https://files.demo-shop.test/tee.jpg\",\"contentType\":\"image/jpeg\"}]}");
        String caseId = opened.get("caseId").asText();
        Api.ok(
                "POST",
                gateway + "/api/cases/" + caseId + "/messages",
                globexToken,
                "{\"body\":\"Sorry, a bad batch. We will send another.\"}");
        Api.ok(
                "POST",
                gateway + "/api/cases/" + caseId + "/resolve",
                support,
                "{\"outcome\":\"RESHIP\",\"note\":\"Globex sends a new tee\"}");
        JsonNode reshipped = Api.await(
                gateway + "/api/cases/" + caseId,
                support,
                c -> c.hasNonNull("reshipSupplierOrderId"),
                Duration.ofSeconds(30));
        String reship = reshipped.get("reshipSupplierOrderId").asText();
        JsonNode atGlobex = Api.await(
                gateway + "/api/supplier/orders/" + reship,
                globexToken,
                o -> "RECEIVED".equals(o.path("status").asText()),
                Duration.ofSeconds(60));
        step(
                "a case: the retailer reported a torn tee (photo attached), Globex answered, support resolved it: RESHIP; the new"
                        + " supplier order %s reached Globex (%s) at no charge to the retailer",
                reship.substring(reship.length() - 8), atGlobex.get("status").asText());

        // A card dispute: the retailer's next charge is disputed (Stripe's test card); a case follows it for support,
        // the supplier's transfer waits, and support wins it with evidence.
        Api.ok(
                "PUT",
                gateway + "/api/billing/payment-method",
                retailerToken,
                "{\"email\":\"billing@demo-shop.test\",\"paymentMethodId\":\"pm_card_createDispute\"}");
        long disputedOrder = Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000_000L);
        byte[] teeBody =
                ShopifyWebhooks.order(disputedOrder, new String[] {"STORE-TEE"}, new int[] {1}, new String[] {"19.00"});
        String disputedId = accepted(
                shopify(shop, shopSecret, "orders/paid", UUID.randomUUID().toString(), teeBody));
        JsonNode dispute = Api.await(
                gateway + "/api/disputes?state=open",
                support,
                list -> java.util.stream.StreamSupport.stream(list.spliterator(), false)
                        .anyMatch(d -> disputedId.equals(d.path("orderId").asText())),
                Duration.ofSeconds(60));
        String disputeId = null;
        for (JsonNode d : dispute) {
            if (disputedId.equals(d.path("orderId").asText())) {
                disputeId = d.get("disputeId").asText();
            }
        }
        JsonNode disputeCase = Api.await(
                        gateway + "/api/cases?kind=DISPUTE&orderId=" + disputedId,
                        support,
                        page -> page.get("items").size() == 1,
                        Duration.ofSeconds(30))
                .get("items")
                .get(0);
        Api.ok(
                "POST",
                gateway + "/api/disputes/" + disputeId + "/evidence",
                support,
                "{\"carrier\":\"Royal Mail\","
                        + "\"trackingNumber\":\"RM" + run.toUpperCase()
                        + "D\",\"productDescription\":\"White tee, size M\","
                        + "\"uncategorizedText\":\"winning_evidence\"}");
        String finalDisputeId = disputeId;
        JsonNode won = Api.await(
                gateway + "/api/disputes/" + disputeId,
                support,
                d -> "WON".equals(d.path("outcome").asText()),
                Duration.ofSeconds(60));
        JsonNode caseClosed = Api.await(
                gateway + "/api/cases/" + disputeCase.get("caseId").asText(),
                support,
                c -> "RESOLVED".equals(c.get("status").asText()),
                Duration.ofSeconds(30));
        step(
                "a card dispute of %s %s (%s) opened a case for support; evidence submitted to Stripe; the dispute was %s and its"
                        + " case %s (\"%s\")",
                won.get("amount").asText(),
                won.get("currency").asText(),
                finalDisputeId,
                won.get("status").asText(),
                caseClosed.get("status").asText(),
                caseClosed.get("outcomeNote").asText());
        Api.ok(
                "PUT",
                gateway + "/api/billing/payment-method",
                retailerToken,
                "{\"email\":\"billing@demo-shop.test\",\"paymentMethodId\":\"pm_card_visa\"}");

        // A line return: one of the two caps goes back; Acme authorises it, receives it, and only then is the retailer
        // refunded (from Acme's transfer) and the cap back in Acme's stock.
        String mugSo = mugPart.get("supplierOrderId").asText();
        String capLine = null;
        for (JsonNode line : mugPart.get("lines")) {
            if ("CAP-RED".equals(line.get("sku").asText())) {
                capLine = line.get("lineId").asText();
            }
        }
        Api.await(
                gateway + "/api/invoices/" + wooOrderId,
                retailerToken,
                i -> java.util.stream.StreamSupport.stream(i.get("lines").spliterator(), false)
                        .allMatch(l -> "SETTLED".equals(l.path("status").asText())),
                Duration.ofSeconds(60));
        int capsBefore = Api.ok("GET", gateway + "/api/supplier/stock/CAP-RED", acmeToken, null)
                .get("onHand")
                .asInt();
        JsonNode asked = Api.ok(
                "POST",
                gateway + "/api/return-requests",
                retailerToken,
                "{\"supplierOrderId\":\"" + mugSo + "\",\"lines\":[{\"lineId\":\"" + capLine
                        + "\",\"quantity\":1}],\"reason\":\"the customer ordered one too many\"}");
        String returnId = asked.get("returnId").asText();
        JsonNode authorised = Api.ok(
                "POST",
                gateway + "/api/return-requests/" + returnId + "/authorise",
                acmeToken,
                "{\"instructions\":\"Send it to Acme Returns, 1 Dock Road, with the order number inside\"}");
        Api.ok("POST", gateway + "/api/return-requests/" + returnId + "/received", acmeToken, "{\"sellable\":true}");
        JsonNode refunded = Api.await(
                gateway + "/api/return-requests/" + returnId,
                retailerToken,
                r -> "REFUNDED".equals(r.get("status").asText()),
                Duration.ofSeconds(60));
        JsonNode capsAfter = Api.await(
                gateway + "/api/supplier/stock/CAP-RED",
                acmeToken,
                c -> c.get("onHand").asInt() == capsBefore + 1,
                Duration.ofSeconds(30));
        step(
                "a line return of 1 cap: Acme authorised it (%s %s to give back), received it sellable; the retailer was refunded"
                        + " (%s) and Acme's caps on hand went %d -> %d",
                authorised.get("amount").asText(),
                authorised.get("currency").asText(),
                refunded.get("status").asText(),
                capsBefore,
                capsAfter.get("onHand").asInt());

        // The e-mails people got, as they arrived at the fleet's mail server, and the retailer's feed.
        JsonNode feed = Api.ok("GET", gateway + "/api/notifications?limit=100", retailerToken, null)
                .get("items");
        System.out.println("  e-mails at the local SMTP server:");
        for (String address : List.of(retailerEmail)) {
            for (String subject : Mailbox.subjects(address)) {
                System.out.printf("    to %s: %s%n", address, subject);
            }
        }
        JsonNode unread = Api.ok("GET", gateway + "/api/notifications/unread-count", retailerToken, null);
        step(
                "the retailer's feed holds %d notifications (%d unread); the order timeline of the WooCommerce order has %d entries",
                feed.size(),
                unread.get("unread").asInt(),
                Api.ok("GET", gateway + "/api/orders/" + wooOrderId + "/timeline", retailerToken, null)
                        .get("entries")
                        .size());
    }

    /**
     * Scene 7, the business around the orders: the retailer's sales report from the analytics projection, the
     * supplier directory, what to sell next, a packing slip for the supplier's parcel, a subscription charged through
     * Stripe Billing with the retailer's usage, and the platform's figures with its subscription revenue.
     */
    private void business(String run, String admin, String retailerToken, String acmeToken) throws Exception {
        System.out.println();
        JsonNode sales = Api.await(
                gateway + "/api/analytics/sales?groupBy=SUPPLIER",
                retailerToken,
                r -> r.get("totals").size() > 0 && r.at("/totals/0/orders").asInt() > 0,
                Duration.ofSeconds(60));
        JsonNode total = sales.at("/totals/0");
        step(
                "scene 7: the retailer's sales report, last 30 days: %d orders, %d units, revenue %s, cost %s, fees %s, profit %s %s"
                        + " (%d rows by day and supplier)",
                total.get("orders").asInt(),
                total.get("units").asInt(),
                total.get("revenue").asText(),
                total.get("cost").asText(),
                total.get("fees").asText(),
                total.get("profit").asText(),
                total.get("currency").asText(),
                sales.get("rows").size());
        JsonNode directory = Api.ok("GET", gateway + "/api/directory/suppliers?q=" + run, retailerToken, null)
                .get("items");
        List<String> profiles = new ArrayList<>();
        for (JsonNode p : directory) {
            profiles.add(p.get("companyName").asText() + " ("
                    + (p.get("rating").isNull()
                            ? "not rated yet"
                            : p.get("rating").asText() + "/5") + ", "
                    + p.get("products").asInt() + " products)");
        }
        step("the supplier directory finds %s", profiles);
        JsonNode recommended = Api.ok("GET", gateway + "/api/listings/recommendations?limit=3", retailerToken, null);
        List<String> picks = new ArrayList<>();
        for (JsonNode r : recommended) {
            picks.add(r.get("title").asText() + ": " + r.at("/reasons/0").asText());
        }
        step("recommended next: %s", picks.isEmpty() ? "nothing new to list" : picks);
        String acmeOrder = Api.ok("GET", gateway + "/api/supplier/orders?limit=1", acmeToken, null)
                .at("/items/0/supplierOrderId")
                .asText();
        HttpResponse<byte[]> slip = Api.client()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        gateway + "/api/supplier/orders/" + acmeOrder + "/packing-slip"))
                                .header("Authorization", "Bearer " + acmeToken)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        expect(
                slip.statusCode() == 200
                        && new String(slip.body(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("%PDF-"),
                "a packing slip PDF for Acme's order %s: %d",
                acmeOrder,
                slip.statusCode());
        step(
                "Acme printed the packing slip of order %s: a %d-byte PDF in the retailer's branding",
                acmeOrder.substring(acmeOrder.length() - 8), slip.body().length);
        // The retailer subscribes to ENTERPRISE through Stripe Billing (no trial on it: the first month is charged
        // now).
        JsonNode plans = Api.ok("GET", gateway + "/api/billing/plans", retailerToken, null);
        List<String> offer = new ArrayList<>();
        for (JsonNode p : plans) {
            offer.add(p.get("plan").asText() + " " + p.get("monthlyPrice").asText() + "/month, "
                    + (p.get("monthlyOrderLimit").isNull()
                            ? "unlimited"
                            : p.get("monthlyOrderLimit").asText()) + " orders, "
                    + p.get("percent").asText() + "%");
        }
        step("the plans: %s", offer);
        Api.ok("POST", gateway + "/api/billing/subscription", retailerToken, "{\"plan\":\"ENTERPRISE\"}");
        JsonNode subscribed = Api.await(
                gateway + "/api/billing/subscription",
                retailerToken,
                r -> "ACTIVE".equals(r.path("status").asText())
                        && r.get("invoices").size() > 0
                        && "paid".equals(r.at("/invoices/0/status").asText()),
                Duration.ofSeconds(60));
        step(
                "the retailer subscribed to %s: Stripe charged its first month, %s %s (invoice %s), and it renews on %s",
                subscribed.get("plan").asText(),
                subscribed.at("/invoices/0/amountPaid").asText(),
                subscribed.at("/invoices/0/currency").asText(),
                subscribed.at("/invoices/0/id").asText(),
                subscribed.get("currentPeriodEnd").asText().substring(0, 10));
        JsonNode usage = Api.ok("GET", gateway + "/api/billing/usage", retailerToken, null);
        step(
                "its usage this month: %d orders (limit %s), products of %d suppliers (limit %s), %d held for a limit",
                usage.get("ordersThisMonth").asInt(),
                usage.get("monthlyOrderLimit").isNull()
                        ? "none"
                        : usage.get("monthlyOrderLimit").asText(),
                usage.get("suppliers").asInt(),
                usage.get("supplierLimit").isNull()
                        ? "none"
                        : usage.get("supplierLimit").asText(),
                usage.get("heldForLimit").asInt());
        JsonNode platform = Api.await(
                gateway + "/api/analytics/platform",
                admin,
                r -> r.get("subscriptionTotals").size() > 0,
                Duration.ofSeconds(60));
        step(
                "the platform, last 30 days: GMV %s %s, fees %s, listing fees %s, take rate %s%%, %d active retailers,"
                        + " %d active suppliers; subscriptions %s %s from %d retailers",
                platform.at("/totals/0/gmv").asText(),
                platform.at("/totals/0/currency").asText(),
                platform.at("/totals/0/fees").asText(),
                platform.at("/totals/0/listingFees").asText(),
                platform.at("/totals/0/takeRatePercent").asText(),
                platform.at("/totals/0/activeRetailers").asInt(),
                platform.at("/totals/0/activeSuppliers").asInt(),
                platform.at("/subscriptionTotals/0/revenue").asText(),
                platform.at("/subscriptionTotals/0/currency").asText(),
                platform.at("/subscriptionTotals/0/subscribers").asInt());
    }

    /**
     * Scene 5: the Shopify customer asks for their data, then to be forgotten. Each request is done by every service
     * that holds their data (the gateway, order-service, fulfillment-service) before the gateway calls it completed.
     */
    private void privacy(
            String shop,
            String shopSecret,
            long shopifyOrder,
            String orderId,
            String supplierOrderId,
            String retailerToken,
            String supplierToken)
            throws Exception {
        System.out.println();
        com.fasterxml.jackson.databind.node.ObjectNode ask =
                Api.JSON.createObjectNode().put("shop_id", 1).put("shop_domain", shop);
        ask.putObject("customer").put("id", 7).put("email", "customer@example.com");
        ask.putArray("orders_requested").add(shopifyOrder);
        ask.putObject("data_request").put("id", 9999);
        Instant asked = Instant.now();
        JsonNode export = completed(
                shopify(
                        shop,
                        shopSecret,
                        "customers/data_request",
                        UUID.randomUUID().toString(),
                        ask.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                retailerToken);
        long exportMs = Duration.between(asked, Instant.now()).toMillis();
        JsonNode byOrders = export.at("/export/order-service");
        JsonNode bySuppliers = export.at("/export/fulfillment-service");
        expect(
                byOrders.findValues("orderId").stream().anyMatch(o -> o.asText().equals(orderId))
                        && "Ada Lovelace"
                                .equals(byOrders.get(0)
                                        .at("/shippingAddress/name")
                                        .asText())
                        && bySuppliers.findValues("trackingNumber").stream()
                                .anyMatch(t -> t.asText().startsWith("RM"))
                        && export.at("/export/integration-gateway").size() > 0,
                "the export to hold the customer's orders, supplier orders with tracking and webhook bodies: %s",
                export);
        step(
                "scene 5, privacy: the customer asked for their data (customers/data_request): completed in %d ms by every"
                        + " service; the export holds %d orders, %d supplier orders and %d store webhooks",
                exportMs,
                byOrders.size(),
                bySuppliers.size(),
                export.at("/export/integration-gateway").size());

        ask.remove("orders_requested");
        ask.remove("data_request");
        ask.putArray("orders_to_redact").add(shopifyOrder);
        asked = Instant.now();
        JsonNode erased = completed(
                shopify(
                        shop,
                        shopSecret,
                        "customers/redact",
                        UUID.randomUUID().toString(),
                        ask.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                retailerToken);
        long erasedMs = Duration.between(asked, Instant.now()).toMillis();
        JsonNode order = Api.ok("GET", gateway + "/api/orders/" + orderId, retailerToken, null);
        JsonNode atSupplier = Api.ok("GET", gateway + "/api/supplier/orders/" + supplierOrderId, supplierToken, null);
        expect(
                order.hasNonNull("redactedAt")
                        && !order.get("shippingAddress").hasNonNull("name")
                        && !atSupplier.get("shippingAddress").hasNonNull("name")
                        && "GB".equals(atSupplier.at("/shippingAddress/country").asText()),
                "the delivered order erased at order-service and at its supplier: %s / %s",
                order,
                atSupplier);
        long orderRecords = 0;
        for (JsonNode service : erased.get("services")) {
            orderRecords += service.get("service").asText().equals("order-service")
                    ? service.get("records").asLong()
                    : 0;
        }
        step(
                "then to be forgotten (customers/redact): completed in %d ms; %d finished orders erased in every service"
                        + " (the supplier now sees only the country, %s), %d still being fulfilled kept until they are done;"
                        + " the request shows %s",
                erasedMs,
                orderRecords,
                atSupplier.at("/shippingAddress/country").asText(),
                erased.get("keptOrderIds").size(),
                erased.get("customerEmail").asText());
    }

    /** A supplier that signed up, was approved and signed in: its id and token. */
    private String[] signedUpSupplier(String admin, String company, String mailbox, String region) throws Exception {
        Accounts.User user =
                Accounts.supplier(gateway, admin, company, mailbox + "@supplier.test", region, DEMO_PASSWORD);
        return new String[] {user.id(), user.token()};
    }

    private String invitedSupport(String admin, String run) throws Exception {
        return Accounts.support(gateway, admin, "support-" + run + "@fleet.local", DEMO_PASSWORD);
    }

    private String localAdmin() throws Exception {
        String token = Accounts.localAdmin(gateway);
        step("the local admin %s signed in", Fleet.LOCAL_ADMIN);
        return token;
    }

    /** The privacy request a privacy webhook started, once it is COMPLETED. */
    private JsonNode completed(HttpResponse<String> answer, String retailerToken) throws Exception {
        JsonNode body = Api.JSON.readTree(answer.body());
        expect(
                answer.statusCode() == 200
                        && "PRIVACY_REQUEST_ACCEPTED"
                                .equals(body.path("outcome").asText()),
                "the privacy webhook to be accepted: %d %s",
                answer.statusCode(),
                answer.body());
        String requestId = body.get("detail").asText().substring("privacy request ".length());
        return Api.await(
                gateway + "/api/privacy-requests/" + requestId,
                retailerToken,
                r -> "COMPLETED".equals(r.get("status").asText()),
                Duration.ofSeconds(60));
    }

    /** Each invoice line is wholesale + shipping + the BASIC plan's fee (0.50 + 5%), and the total their sum. */
    private static void checkInvoice(JsonNode invoice, String acme, String globex) {
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        for (JsonNode line : invoice.get("lines")) {
            java.math.BigDecimal goods = new java.math.BigDecimal(
                            line.get("wholesaleTotal").asText())
                    .add(new java.math.BigDecimal(line.get("shippingCost").asText()));
            java.math.BigDecimal fee = new java.math.BigDecimal("0.50")
                    .add(goods.multiply(new java.math.BigDecimal("0.05")))
                    .setScale(2, java.math.RoundingMode.HALF_UP);
            expect(
                    "BASIC".equals(line.get("plan").asText())
                            && fee.toPlainString()
                                    .equals(line.get("platformFee").asText()),
                    "%s's fee to be 0.50 + 5%% of %s = %s: %s",
                    name(line.get("supplierId").asText(), acme, globex),
                    goods,
                    fee,
                    line);
            total = total.add(goods).add(fee);
        }
        expect(
                total.toPlainString().equals(invoice.get("total").asText()),
                "the invoice total to be %s: %s",
                total,
                invoice);
    }

    /**
     * Each supplier that shipped for the order is paid once, by a transfer from the order's charge of its wholesale
     * and shipping (looked up at the fleet's fake Stripe, by the order's transfer group).
     */
    private void checkTransfers(String orderId, JsonNode invoice, String onlySupplier) throws Exception {
        Map<String, String> owed = new TreeMap<>();
        for (JsonNode line : invoice.get("lines")) {
            if (onlySupplier == null
                    || onlySupplier.equals(line.get("supplierId").asText())) {
                owed.put(
                        line.get("supplierId").asText(),
                        new java.math.BigDecimal(line.get("wholesaleTotal").asText())
                                .add(new java.math.BigDecimal(
                                        line.get("shippingCost").asText()))
                                .movePointRight(2)
                                .toBigInteger()
                                .toString());
            }
        }
        JsonNode transfers = Api.await(
                fakeStores + "/stripe/v1/transfers?limit=100&transfer_group=" + orderId,
                Fleet.LOCAL_STRIPE_KEY,
                t -> t.get("data").size() >= owed.size(),
                Duration.ofSeconds(60));
        Map<String, String> paid = new TreeMap<>();
        for (JsonNode t : transfers.get("data")) {
            paid.merge(t.at("/metadata/supplierId").asText(), t.get("amount").asText(), (a, b) -> a + "+" + b);
        }
        expect(
                paid.equals(owed),
                "one transfer per supplier that shipped order %s, of what it shipped (cents): %s, not %s",
                orderId,
                owed,
                paid);
    }

    private static void expect(boolean holds, String what, Object... args) {
        if (!holds) {
            throw new IllegalStateException("expected " + String.format(what, args));
        }
    }

    /** A Shopify webhook, signed with the secret given, as Shopify delivers it. */
    private HttpResponse<String> shopify(String shop, String secret, String topic, String eventId, byte[] body)
            throws IOException, InterruptedException {
        return Api.deliver(
                ShopifyWebhooks.webhook(gateway, shop, topic, ShopifyWebhooks.sign(secret, body), eventId, body));
    }

    private static String accepted(HttpResponse<String> response) throws Exception {
        JsonNode body = Api.JSON.readTree(response.body());
        if (response.statusCode() != 200
                || !"ORDER_ACCEPTED".equals(body.path("outcome").asText())) {
            throw new IllegalStateException(
                    "the signed webhook was answered " + response.statusCode() + " " + response.body());
        }
        return body.get("orderId").asText();
    }

    private JsonNode awaitReserved(String orderId, String retailerToken, int supplierOrders) throws Exception {
        return Api.await(
                gateway + "/api/orders/" + orderId,
                retailerToken,
                o -> "ROUTED".equals(o.get("status").asText())
                        && o.get("supplierOrders").size() == supplierOrders
                        && o.get("supplierOrders").findValues("status").stream()
                                .allMatch(v -> "RESERVED".equals(v.asText())),
                Duration.ofSeconds(30));
    }

    private void ship(
            JsonNode so,
            String acme,
            String acmeToken,
            String globex,
            String globexToken,
            String carrier,
            String number,
            String url)
            throws Exception {
        String token = so.get("supplierId").asText().equals(acme) ? acmeToken : globexToken;
        String id = so.get("supplierOrderId").asText();
        Api.await(gateway + "/api/supplier/orders/" + id, token, o -> true, Duration.ofSeconds(30));
        Api.ok("POST", gateway + "/api/supplier/orders/" + id + "/accept", token, null);
        Api.ok(
                "POST",
                gateway + "/api/supplier/orders/" + id + "/ship",
                token,
                "{\"carrier\":\"" + carrier + "\",\"trackingNumber\":\"" + number + "\""
                        + (url == null ? "" : ",\"trackingUrl\":\"" + url + "\"") + "}");
    }

    private static String name(String supplierId, String acme, String globex) {
        return supplierId.equals(acme) ? "Acme" : supplierId.equals(globex) ? "Globex" : supplierId;
    }

    /**
     * The retailer's pricing rule, two supplier products listed in the Shopify store in one request, the products
     * the store now has, and a supplier cost change re-pricing the store's price within the tolerance.
     */
    private void listInStore(String retailerToken, String storeId, String shop, String acme, String acmeToken)
            throws Exception {
        Api.ok(
                "PUT",
                gateway + "/api/listings/pricing-rule",
                retailerToken,
                "{\"method\":\"MARKUP_PERCENT\",\"amount\":45,\"minMarginPercent\":25,\"priceEnding\":0.99,\"tolerancePercent\":10}");
        JsonNode report = Api.ok(
                "POST",
                gateway + "/api/listings/imports",
                retailerToken,
                "{\"storeId\":\"" + storeId
                        + "\",\"products\":[{\"supplierId\":\"" + acme
                        + "\",\"sku\":\"LAMP-01\",\"listingSku\":\"SHOP-LAMP\"},"
                        + "{\"supplierId\":\"" + acme + "\",\"sku\":\"CAP-RED\",\"listingSku\":\"SHOP-CAP\"},"
                        + "{\"supplierId\":\"" + acme + "\",\"sku\":\"NO-SUCH\"}]}");
        step(
                "listing import into the Shopify store, rule +45%%, 25%% minimum margin, .99 endings: %d created, %d rejected (%s);"
                        + " SHOP-LAMP at %s, SHOP-CAP at %s",
                report.get("created").asInt(),
                report.get("rejected").asInt(),
                report.get("items").get(2).get("reason").asText(),
                report.get("items").get(0).get("price").asText(),
                report.get("items").get(1).get("price").asText());
        JsonNode products = Api.await(
                fakeStores + "/_fake/shopify/" + shop + "/products", null, p -> p.size() == 2, Duration.ofSeconds(30));
        step("the Shopify store has them by productSet: %s", describe(products));
        // Acme raises the lamp's wholesale by 50 cents: within the 10% tolerance, so the store's price follows.
        Api.ok(
                "PUT",
                gateway + "/api/supplier/products/LAMP-01",
                acmeToken,
                "{\"title\":\"Desk lamp\",\"wholesalePrice\":\"18.50\",\"shippingCost\":\"6.00\",\"currency\":\"USD\"}");
        JsonNode repriced = Api.await(
                fakeStores + "/_fake/shopify/" + shop + "/products",
                null,
                p -> describe(p).contains("SHOP-LAMP 35.99"),
                Duration.ofSeconds(30));
        step("Acme's lamp cost 24.00 -> 24.50: re-priced within the tolerance and pushed: %s", describe(repriced));

        // Stock follows the supplier: the store shows 90% of what is available, rounded down.
        String inventoryUrl = fakeStores + "/_fake/shopify/" + shop + "/inventory";
        JsonNode shown = Api.await(
                inventoryUrl,
                null,
                i -> i.at("/quantities/SHOP-LAMP").asInt(-1) == 2
                        && i.at("/quantities/SHOP-CAP").asInt(-1) == 18,
                Duration.ofSeconds(30));
        step(
                "the Shopify store holds 90%% of Acme's available stock, rounded down, by inventorySetQuantities:"
                        + " SHOP-LAMP %d (3 available), SHOP-CAP %d (20)",
                shown.at("/quantities/SHOP-LAMP").asInt(),
                shown.at("/quantities/SHOP-CAP").asInt());
        JsonNode bulk = Api.ok(
                "POST",
                gateway + "/api/supplier/stock",
                acmeToken,
                "{\"items\":[{\"sku\":\"CAP-RED\",\"quantity\":30},{\"sku\":\"LAMP-01\",\"quantity\":3}]}");
        JsonNode restocked = Api.await(
                inventoryUrl, null, i -> i.at("/quantities/SHOP-CAP").asInt(-1) == 27, Duration.ofSeconds(30));
        step(
                "Acme's bulk stock update, %d SKUs in one call (%d moved): the store shows SHOP-CAP %d",
                bulk.get("received").asInt(),
                bulk.get("changed").asInt(),
                restocked.at("/quantities/SHOP-CAP").asInt());
    }

    private static String describe(JsonNode products) {
        List<String> out = new java.util.ArrayList<>();
        products.forEach(
                p -> out.add(p.get("sku").asText() + " " + p.get("price").asText()));
        return String.join(", ", out);
    }

    private void step(String format, Object... args) {
        System.out.printf(
                "demo: %5.1f s  %s%n",
                Duration.between(started, Instant.now()).toMillis() / 1000.0, String.format(format, args));
    }
}
