package io.dropship.gateway.notifications;

import static io.dropship.testkit.Events.example;
import static io.dropship.testkit.Events.publish;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dropship.gateway.accounts.MailTestResource;
import io.dropship.gateway.accounts.SignUps;
import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.Outboxes;
import io.dropship.testkit.Rows;
import io.dropship.testkit.TestTokens;
import io.dropship.testkit.TopicProbe;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * People are told what needs their attention: in a feed the frontend shows, and by e-mail to a real SMTP server
 * (GreenMail) read back here, by each person's choices, once per event, retried when the SMTP server fails, with the
 * retailer's branding and a working unsubscribe link.
 */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(MailTestResource.class)
class NotificationIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private record Person(String token, String email, String tenantId) {}

    private Person retailer(String name) {
        String email = name + "-" + run + "@shop.example";
        String token = SignUps.retailer(email).getString("accessToken");
        return new Person(
                token,
                email,
                given().auth()
                        .oauth2(token)
                        .get("/api/auth/me")
                        .then()
                        .extract()
                        .path("retailerId"));
    }

    private ObjectNode held(String retailerId, String orderId, String number) {
        return example("OrderStatusChanged")
                .put("orderId", orderId)
                .put("retailerId", retailerId)
                .put("orderNumber", number)
                .put("status", "ON_HOLD")
                .put("previousStatus", "PENDING")
                .put("source", "ROUTING")
                .put("tellStore", false)
                .put("reason", "line 1 (SKU MUG-" + run + ") has no active supplier offer left with stock")
                .putNull("customerMessage")
                .put("occurredAt", Instant.now().toString());
    }

    private static JsonPath feed(String token, boolean unread) {
        return given().auth()
                .oauth2(token)
                .get("/api/notifications?unread=" + unread)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static List<MimeMessage> mails(String address, String subjectPart) {
        return MailTestResource.to(address).stream()
                .filter(m -> {
                    try {
                        return m.getSubject().contains(subjectPart);
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                })
                .toList();
    }

    private static String html(MimeMessage m) throws Exception {
        Object content = m.getContent();
        if (content instanceof MimeMultipart multipart) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                Object part = multipart.getBodyPart(i).getContent();
                all.append(
                                part instanceof MimeMultipart inner
                                        ? inner.getBodyPart(0).getContent() + "\n"
                                                + (inner.getCount() > 1
                                                        ? inner.getBodyPart(1).getContent()
                                                        : "")
                                        : part)
                        .append('\n');
            }
            return all.toString();
        }
        return String.valueOf(content);
    }

    @Test
    void aHeldOrderReachesTheRetailersFeedAndInboxOnceWithItsBrandingAndAnUnsubscribeLinkThatWorks() throws Exception {
        Person ada = retailer("ada");
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("name", "Mugs & Co " + run, "logoUrl", "https://cdn.example/logo.png", "color", "#AA3300"))
                .put("/api/retailers/" + ada.tenantId() + "/branding")
                .then()
                .statusCode(200)
                .body("color", equalTo("#aa3300"));
        String orderId = UUID.randomUUID().toString();
        String number = "DS-" + run.toUpperCase();

        String eventId = publish("OrderStatusChanged", orderId, held(ada.tenantId(), orderId, number));
        publish(eventId, "OrderStatusChanged", orderId, held(ada.tenantId(), orderId, number)); // delivered twice

        await().atMost(Duration.ofSeconds(30))
                .until(() -> mails(ada.email(), number).size() == 1);
        MimeMessage mail = mails(ada.email(), number).get(0);
        assertEquals("Mugs & Co " + run + ": " + number + " is on hold", mail.getSubject());
        String body = html(mail);
        assertTrue(
                body.contains("#aa3300")
                        && body.contains("https://cdn.example/logo.png")
                        && body.contains("Mugs &amp; Co"),
                body);
        assertTrue(body.contains("MUG-" + run), body);
        String unsubscribe = mail.getHeader("List-Unsubscribe")[0];
        assertEquals("List-Unsubscribe=One-Click", mail.getHeader("List-Unsubscribe-Post")[0]);
        JsonPath feed = feed(ada.token(), true);
        assertEquals(List.of("ORDER_HELD"), feed.getList("items.kind"));
        assertEquals("/api/orders/" + orderId, feed.getString("items[0].link"));
        given().auth()
                .oauth2(ada.token())
                .get("/api/notifications/unread-count")
                .then()
                .body("unread", equalTo(1));
        // Nothing more comes for a while: one e-mail per event, however often it is delivered.
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofMillis(6500))
                .untilAsserted(() -> assertEquals(
                        1, mails(ada.email(), number).size(), "one e-mail per event, however often it is delivered"));
        assertEquals(
                1,
                Outboxes.publishedContaining("OrderActivity", orderId, "NOTIFIED"),
                "the order's timeline hears who was told");

        // Following the link sends held orders to the feed only: the next one is in the feed, and no e-mail comes.
        Matcher link = Pattern.compile("<(http[^>]+)>").matcher(unsubscribe);
        assertTrue(link.find(), unsubscribe);
        String path = link.group(1).replaceFirst("^https?://[^/]+", "");
        given().get(path).then().statusCode(200).body(containsString("You will not receive these e-mails any more"));
        given().get("/api/notifications/unsubscribe?token=" + UUID.randomUUID())
                .then()
                .statusCode(200)
                .body(containsString("not known"));
        given().auth()
                .oauth2(ada.token())
                .get("/api/notifications/preferences")
                .then()
                .statusCode(200)
                .body("find { it.kind == 'ORDER_HELD' }.channel", equalTo("FEED"))
                .body("find { it.kind == 'PAYMENT_FAILED' }.channel", equalTo("EMAIL"));
        String second = UUID.randomUUID().toString();
        publish("OrderStatusChanged", second, held(ada.tenantId(), second, number + "-2"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> feed(ada.token(), true).getList("items").size() == 2);
        await().during(Duration.ofMillis(1500))
                .atMost(Duration.ofMillis(6500))
                .untilAsserted(
                        () -> assertEquals(0, mails(ada.email(), number + "-2").size()));
    }

    @Test
    void theFeedIsMarkedReadOneByOneOrAllAndNobodyReadsAnothersNotifications() {
        Person ada = retailer("reader");
        Person bob = retailer("other");
        for (int i = 0; i < 3; i++) {
            String orderId = UUID.randomUUID().toString();
            publish("OrderStatusChanged", orderId, held(ada.tenantId(), orderId, "DS-R" + i + "-" + run));
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> feed(ada.token(), false).getList("items").size() == 3);
        long newest = feed(ada.token(), false).getLong("items[0].id");
        long oldest = feed(ada.token(), false).getLong("items[2].id");

        given().auth()
                .oauth2(bob.token())
                .post("/api/notifications/" + newest + "/read")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(ada.token())
                .post("/api/notifications/" + newest + "/read")
                .then()
                .statusCode(200)
                .body("readAt", org.hamcrest.Matchers.notNullValue());
        given().auth()
                .oauth2(ada.token())
                .get("/api/notifications/unread-count")
                .then()
                .body("unread", equalTo(2));
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("upTo", oldest))
                .post("/api/notifications/read-all")
                .then()
                .statusCode(200)
                .body("marked", equalTo(1));
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body("{}")
                .post("/api/notifications/read-all")
                .then()
                .statusCode(200)
                .body("marked", equalTo(1));
        given().auth()
                .oauth2(ada.token())
                .get("/api/notifications/unread-count")
                .then()
                .body("unread", equalTo(0));
        given().auth()
                .oauth2(ada.token())
                .get("/api/notifications?limit=2")
                .then()
                .statusCode(200)
                .body("items", hasSize(2))
                .body("nextCursor", org.hamcrest.Matchers.notNullValue());
        given().auth()
                .oauth2(bob.token())
                .get("/api/notifications")
                .then()
                .statusCode(200)
                .body("items", hasSize(0));
        // Tokens not issued by sign-in name no account; bad choices are refused.
        given().auth()
                .oauth2(TestTokens.retailer(ada.tenantId()))
                .get("/api/notifications")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("channel", "EMAIL"))
                .put("/api/notifications/preferences/DEAD_LETTER")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("channel", "LOUD"))
                .put("/api/notifications/preferences/ORDER_HELD")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("channel", "EMAIL"))
                .put("/api/notifications/preferences/NO_SUCH_KIND")
                .then()
                .statusCode(404);
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("color", "red"))
                .put("/api/retailers/" + ada.tenantId() + "/branding")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("logoUrl", "javascript:alert(1)"))
                .put("/api/retailers/" + ada.tenantId() + "/branding")
                .then()
                .statusCode(400);
        given().auth()
                .oauth2(bob.token())
                .get("/api/retailers/" + ada.tenantId() + "/branding")
                .then()
                .statusCode(404);
    }

    @Test
    void aDailyChoiceGathersNoticesIntoOneDigestAndFeedOnlyOrOffSendsNoMail() {
        Person ada = retailer("digest");
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("channel", "EMAIL", "cadence", "DAILY"))
                .put("/api/notifications/preferences/ORDER_HELD")
                .then()
                .statusCode(200)
                .body("find { it.kind == 'ORDER_HELD' }.cadence", equalTo("DAILY"))
                .body("find { it.kind == 'ORDER_HELD' }.isDefault", equalTo(false));
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("channel", "FEED"))
                .put("/api/notifications/preferences/PAYMENT_FAILED")
                .then()
                .statusCode(200);
        given().auth()
                .oauth2(ada.token())
                .contentType(ContentType.JSON)
                .body(Map.of("channel", "OFF"))
                .put("/api/notifications/preferences/ORDER_CANCELLED")
                .then()
                .statusCode(200);
        for (int i = 0; i < 2; i++) {
            String orderId = UUID.randomUUID().toString();
            publish("OrderStatusChanged", orderId, held(ada.tenantId(), orderId, "DS-D" + i + "-" + run));
        }
        String paid = UUID.randomUUID().toString();
        publish(
                "PaymentFailed",
                paid,
                example("PaymentFailed")
                        .put("orderId", paid)
                        .put("retailerId", ada.tenantId())
                        .put("orderNumber", "DS-P-" + run)
                        .put("failedAt", Instant.now().toString()));
        String gone = UUID.randomUUID().toString();
        publish(
                "OrderStatusChanged",
                gone,
                held(ada.tenantId(), gone, "DS-C-" + run)
                        .put("status", "CANCELLED")
                        .put("previousStatus", "ON_HOLD")
                        .put("source", "SUPPORT"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> mails(ada.email(), "Your digest").size() == 1);
        String digest = String.valueOf(mails(ada.email(), "Your digest").stream()
                .map(m -> {
                    try {
                        return m.getSubject() + html(m);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .toList());
        assertTrue(
                digest.contains("2 things") && digest.contains("DS-D0-" + run) && digest.contains("DS-D1-" + run),
                digest);
        assertEquals(
                List.of("PAYMENT_FAILED", "ORDER_HELD", "ORDER_HELD"),
                feed(ada.token(), false).getList("items.kind"),
                "feed only still reaches the feed; off reaches nobody");
        assertEquals(0, mails(ada.email(), "DS-P-" + run).size());
    }

    @Test
    void anSmtpOutageDelaysTheMailItDoesNotLoseIt() throws Exception {
        Person ada = retailer("outage");
        MailTestResource.mail().stop();
        String orderId = UUID.randomUUID().toString();
        try {
            publish("OrderStatusChanged", orderId, held(ada.tenantId(), orderId, "DS-O-" + run));
            Rows.await(
                    "select 1 from notification where subject_id = ? and email_attempts >= 2"
                            + " and email_status = 'PENDING' and email_error is not null",
                    orderId);
        } finally {
            MailTestResource.mail().start();
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> mails(ada.email(), "DS-O-" + run).size() == 1);
        Rows.await("select 1 from notification where subject_id = ? and email_status = 'SENT'", orderId);
    }

    @Test
    void suppliersWithoutACallbackHearOfNewAndCancelledOrdersAndPayoutsAndStaffOfDeadLetters() throws Exception {
        String email = "supplier-" + run + "@maker.example";
        SignUps.post(
                        "signup/supplier",
                        "{\"companyName\":\"Maker\",\"name\":\"Grace\",\"email\":\"" + email + "\",\"password\":\""
                                + SignUps.PASSWORD
                                + "\",\"businessType\":\"MANUFACTURER\",\"shipFromRegion\":\"US-CA\"}")
                .statusCode(202);
        SignUps.post("verify-email", "{\"code\":\"" + SignUps.codeFrom(email, "Confirm your e-mail") + "\"}")
                .statusCode(200);
        String token = SignUps.signIn(email, SignUps.PASSWORD)
                .statusCode(200)
                .extract()
                .path("accessToken");
        String supplierId = given().auth()
                .oauth2(token)
                .get("/api/auth/me")
                .then()
                .extract()
                .path("supplierId");

        String orderId = UUID.randomUUID().toString();
        String so = UUID.randomUUID().toString();
        ObjectNode received = example("SupplierOrderUpdated")
                .put("supplierOrderId", so)
                .put("orderId", orderId)
                .put("orderNumber", "DS-S-" + run)
                .put("supplierId", supplierId)
                .put("byCallback", false);
        publish("SupplierOrderUpdated", orderId, received);
        publish(
                "SupplierOrderUpdated",
                orderId,
                received.deepCopy().put("orderNumber", "DS-CB-" + run).put("byCallback", true));
        publish(
                "SupplierOrderUpdated",
                orderId,
                received.deepCopy()
                        .put("event", "supplier_order.cancelled")
                        .put("status", "CANCELLED")
                        .put("reason", "cancelled by the store: customer"));
        publish(
                "Settled",
                orderId,
                example("Settled")
                        .put("supplierOrderId", so)
                        .put("orderId", orderId)
                        .put("supplierId", supplierId)
                        .put("supplierPayout", "42.50")
                        .put("currency", "USD"));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> feed(token, false).getList("items").size() == 3);
        assertEquals(
                List.of("PAYOUT_SENT", "SUPPLIER_ORDER_CANCELLED", "SUPPLIER_ORDER_RECEIVED"),
                feed(token, false).getList("items.kind"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> mails(email, "New order DS-S-" + run).size() == 1
                        && mails(email, "was withdrawn").size() == 1);
        assertEquals(0, mails(email, "DS-CB-" + run).size(), "a supplier with a callback hears it there");
        // A return to authorise.
        ObjectNode asked = example("ReturnUpdated")
                .put("orderId", orderId)
                .put("supplierOrderId", so)
                .put("supplierId", supplierId)
                .put("status", "REQUESTED")
                .put("reason", "wrong size " + run);
        publish("ReturnUpdated", orderId, asked);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> feed(token, false).getList("items.kind").contains("RETURN_TO_AUTHORISE"));
        assertTrue(feed(token, false).getString("items[0].body").contains("wrong size " + run));

        // Staff hear of a dead letter in any service.
        String agent = "agent-" + run + "@dropship.example";
        given().auth()
                .oauth2(TestTokens.admin())
                .contentType(ContentType.JSON)
                .body("{\"email\":\"" + agent + "\",\"role\":\"SUPPORT\"}")
                .post("/api/auth/invitations")
                .then()
                .statusCode(202);
        SignUps.post(
                        "invitations/accept",
                        "{\"code\":\"" + SignUps.codeFrom(agent, "You are invited to Dropship")
                                + "\",\"name\":\"Agent\",\"password\":\"" + SignUps.PASSWORD + "\"}")
                .statusCode(201);
        String support = SignUps.signIn(agent, SignUps.PASSWORD)
                .statusCode(200)
                .extract()
                .path("accessToken");
        String deadId = UUID.randomUUID().toString();
        TopicProbe.send(
                "StockReserved.settlement-service.DLT",
                orderId,
                "{\"not\":\"valid\"}",
                Map.of("id", deadId, "eventType", "StockReserved", "dead-letter-reason", "poison " + run));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> feed(support, false).getList("items.subjectId").contains(deadId));
        given().auth()
                .oauth2(support)
                .get("/api/notifications")
                .then()
                .body(
                        "items.find { it.subjectId == '" + deadId + "' }.link",
                        equalTo("/api/admin/services/settlement-service/dead-letters"))
                .body("items.find { it.subjectId == '" + deadId + "' }.body", containsString("poison " + run));
        await().atMost(Duration.ofSeconds(30)).until(() -> mails(agent, deadId).size() == 1);
        // And of money that does not agree with Stripe.
        String charge = "ch_" + run;
        publish(
                "ReconciliationMismatch",
                "2026-12-01",
                example("ReconciliationMismatch").put("reference", charge));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> feed(support, false).getList("items.subjectId").contains(charge));
        given().auth()
                .oauth2(support)
                .get("/api/notifications")
                .then()
                .body("items.find { it.subjectId == '" + charge + "' }.kind", equalTo("RECONCILIATION_MISMATCH"));

        // A reconciliation that finds 40 mismatches at once: each is in the feed and in a mail, and the mails are a
        // few that list many, not one each.
        List<String> charges = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            charges.add("ch_" + run + "_many" + i + "_");
            publish(
                    "ReconciliationMismatch",
                    "2026-12-01",
                    example("ReconciliationMismatch").put("reference", charges.get(i)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            String all = String.join("\n", manyMails(agent, run));
            return charges.stream().allMatch(all::contains);
        });
        List<String> many = manyMails(agent, run);
        // Each mail poll (0.3 s here) sends what has arrived by then, so how the 40 spread over mails depends on how
        // fast the machine takes them in (6 on a busy CI machine, 2 to 3 usually): a few, not one each.
        assertTrue(many.size() <= 10, "40 mismatches in " + many.size() + " mails");
        assertTrue(mails(agent, "notifications: The reconciliation against Stripe found money that does not agree")
                        .size()
                >= 1);
        assertTrue(given().auth()
                .oauth2(support)
                .get("/api/notifications?limit=200")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("items.subjectId")
                .containsAll(charges));
    }

    /** The bodies of the agent's mails that name any of the run's 40 mismatches. */
    private static List<String> manyMails(String agent, String run) throws Exception {
        List<String> out = new java.util.ArrayList<>();
        for (MimeMessage m : MailTestResource.to(agent)) {
            String body = html(m);
            if (body.contains("ch_" + run + "_many")) {
                out.add(body);
            }
        }
        return out;
    }

    @Test
    void thePartiesWhoDidNotActHearOfACase() {
        Person ada = retailer("case");
        String orderId = UUID.randomUUID().toString();
        String caseId = UUID.randomUUID().toString();
        ObjectNode opened = example("CaseUpdated")
                .put("caseId", caseId)
                .put("orderId", orderId)
                .put("retailerId", ada.tenantId())
                .put("event", "OPENED")
                .put("status", "WAITING_ON_RETAILER")
                .put("byRole", "SUPPLIER")
                .put("subject", "Wrong colour " + run)
                .putNull("outcome")
                .putNull("refundAmount")
                .putNull("chargeTo");
        publish("CaseUpdated", orderId, opened);
        publish(
                "CaseUpdated",
                orderId,
                opened.deepCopy().put("event", "MESSAGE").put("byRole", "RETAILER"));
        publish(
                "CaseUpdated",
                orderId,
                opened.deepCopy()
                        .put("event", "RESOLVED")
                        .put("status", "RESOLVED")
                        .put("byRole", "SUPPORT")
                        .put("outcome", "REFUND")
                        .put("refundAmount", "4.50")
                        .put("chargeTo", "SUPPLIER"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> feed(ada.token(), false).getList("items").size() == 2);
        assertEquals(
                List.of("Case resolved: Wrong colour " + run, "New case: Wrong colour " + run),
                feed(ada.token(), false).getList("items.title"),
                "the retailer's own message tells the retailer nothing");
        assertTrue(feed(ada.token(), false).getString("items[0].body").contains("Outcome: refund, 4.50 USD"));
        assertEquals("/api/cases/" + caseId, feed(ada.token(), false).getString("items[0].link"));
        Rows.await("select 1 from notification where kind = 'CASE_STAFF' and subject_id = ?", caseId);
    }

    @Test
    void aPriceChangeWaitingForTheRetailerGoesToItsFeedAndDailyDigest() {
        Person ada = retailer("price");
        publish(
                "PriceChangeWaiting",
                "lst-" + run,
                example("PriceChangeWaiting")
                        .put("listingId", "lst-" + run)
                        .put("retailerId", ada.tenantId())
                        .put("title", "Kettle " + run));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> feed(ada.token(), false).getList("items").size() == 1);
        JsonPath feed = feed(ada.token(), false);
        assertEquals("PRICE_CHANGE_WAITING", feed.getString("items[0].kind"));
        assertEquals("A new price waits for you: Kettle " + run, feed.getString("items[0].title"));
        assertTrue(
                List.of("DIGEST", "SENT").contains(feed.getString("items[0].emailStatus")),
                "news that can wait goes in the daily digest, not an e-mail of its own: "
                        + feed.getString("items[0].emailStatus"));
    }

    @Test
    void aFailedRenewalIsToldOnceAndAnOrderHeldForThePlanSaysWhyNotThatACardFailed() {
        Person ada = retailer("sub");
        String sub = "sub_" + run;
        String grace = Instant.now().plus(Duration.ofDays(7)).toString();
        var pastDue = example("SubscriptionChanged")
                .put("retailerId", ada.tenantId())
                .put("subscriptionId", sub)
                .put("plan", "PRO")
                .put("status", "PAST_DUE")
                .put("graceUntil", grace)
                .putNull("invoicePaid")
                .put("changedAt", Instant.now().toString());
        publish("SubscriptionChanged", ada.tenantId(), pastDue);
        publish(
                "SubscriptionChanged",
                ada.tenantId(),
                pastDue.deepCopy().put("changedAt", Instant.now().toString()));
        String held = UUID.randomUUID().toString();
        publish(
                "PaymentFailed",
                held,
                example("PaymentFailed")
                        .put("orderId", held)
                        .put("retailerId", ada.tenantId())
                        .put("orderNumber", "DS-H-" + run)
                        .put("holdReason", "PLAN_LIMIT")
                        .put("declineCode", (String) null)
                        .put("reason", "PRO includes 500 orders a month and this is order 501")
                        .put("failedAt", Instant.now().toString()));

        await().atMost(Duration.ofSeconds(30))
                .until(() -> feed(ada.token(), false).getList("items").size() == 2);
        JsonPath feed = feed(ada.token(), false);
        assertEquals(
                java.util.Set.of("PAYMENT_FAILED", "SUBSCRIPTION"),
                java.util.Set.copyOf(feed.getList("items.kind")),
                feed.prettify());
        assertEquals(
                "DS-H-" + run + " waits: your plan's monthly orders are used up",
                feed.getString("items.find { it.kind == 'PAYMENT_FAILED' }.title"));
        assertEquals(
                "Your PRO subscription could not be renewed",
                feed.getString("items.find { it.kind == 'SUBSCRIPTION' }.title"));
        assertTrue(
                feed.getString("items.find { it.kind == 'SUBSCRIPTION' }.body").contains(grace), feed.prettify());
        await().atMost(Duration.ofSeconds(30))
                .until(() -> mails(ada.email(), "could not be renewed").size() == 1);
    }
}
