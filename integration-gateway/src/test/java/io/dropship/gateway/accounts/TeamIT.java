package io.dropship.gateway.accounts;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.dropship.testkit.InfraTestResource;
import io.dropship.testkit.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Owners invite their team, admins invite staff; an invitation mailed and accepted is an account with its role. */
@QuarkusTest
@QuarkusTestResource(InfraTestResource.class)
@QuarkusTestResource(MailTestResource.class)
class TeamIT {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private static io.restassured.response.ValidatableResponse invite(String token, String email, String role) {
        return given().auth()
                .oauth2(token)
                .contentType(ContentType.JSON)
                .body("{\"email\":\"" + email + "\",\"role\":\"" + role + "\"}")
                .post("/api/auth/invitations")
                .then();
    }

    private static String accept(String email, String password) {
        String code = SignUps.codeFrom(email, "You are invited to Dropship");
        SignUps.post(
                        "invitations/accept",
                        "{\"code\":\"" + code + "\",\"name\":\"New\",\"password\":\"" + password + "\"}")
                .statusCode(201);
        SignUps.post(
                        "invitations/accept",
                        "{\"code\":\"" + code + "\",\"name\":\"Again\",\"password\":\"" + password + "\"}")
                .statusCode(400);
        return SignUps.signIn(email, password).statusCode(200).extract().path("accessToken");
    }

    @Test
    void anOwnerInvitesAMemberWhoSignsInAsTheSameRetailerAndCannotInvite() {
        String owner = SignUps.retailer("owner-" + run + "@shop.example").getString("accessToken");
        String retailerId = given().auth()
                .oauth2(owner)
                .get("/api/auth/me")
                .then()
                .extract()
                .path("retailerId");
        String memberEmail = "member-" + run + "@shop.example";

        invite(owner, memberEmail, "MEMBER").statusCode(202).body("kind", equalTo("RETAILER"));
        String member = accept(memberEmail, "a member's passphrase");
        given().auth()
                .oauth2(member)
                .get("/api/auth/me")
                .then()
                .statusCode(200)
                .body("role", equalTo("MEMBER"))
                .body("retailerId", equalTo(retailerId))
                .body("emailVerified", equalTo(true));
        given().auth().oauth2(member).get("/api/stores").then().statusCode(200);
        invite(member, "friend-" + run + "@shop.example", "MEMBER").statusCode(403);
        invite(owner, "x-" + run + "@shop.example", "ADMIN").statusCode(400);
    }

    @Test
    void anAdminInvitesSupportStaffWhoReadButDoNotAct() {
        String email = "agent-" + run + "@dropship.example";
        invite(TestTokens.admin(), email, "SUPPORT").statusCode(202).body("kind", equalTo("STAFF"));
        String support = accept(email, "a support passphrase");

        given().auth()
                .oauth2(support)
                .get("/api/auth/me")
                .then()
                .statusCode(200)
                .body("kind", equalTo("STAFF"))
                .body("role", equalTo("SUPPORT"));
        given().auth().oauth2(support).get("/api/retailers").then().statusCode(200);
        given().auth()
                .oauth2(support)
                .contentType(ContentType.JSON)
                .body("{\"reason\":\"x\"}")
                .post("/api/retailers/ret-any/suspend")
                .then()
                .statusCode(403);
        invite(support, "other-" + run + "@dropship.example", "SUPPORT").statusCode(403);
        invite(TestTokens.admin(), "y-" + run + "@dropship.example", "MEMBER").statusCode(400);
    }

    @jakarta.inject.Inject
    Invitations invitations;

    /** FirstAdmin's job at a start and at its next run: an invitation is mailed the first time only. */
    private void firstAdminInvitedOnceAtStart(String email, java.time.Instant start) throws Throwable {
        org.junit.jupiter.api.Assertions.assertTrue(io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                () -> invitations.inviteFirstAdmin(email, start)));
        org.junit.jupiter.api.Assertions.assertFalse(
                io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                        () -> invitations.inviteFirstAdmin(email, start)),
                "one invitation waiting is enough");
    }

    @Test
    void aNewInstallationsFirstAdminIsInvitedByMailUntilThereIsAnAdmin() throws Throwable {
        // As FirstAdmin does at start with dropship.accounts.first-admin set (and hourly until someone accepts).
        try (java.sql.Connection c =
                io.dropship.testkit.SharedInfrastructure.get().postgres().connect("app")) {
            c.createStatement()
                    .executeUpdate("update account set role = 'SUPPORT' where kind = 'STAFF' and role = 'ADMIN'");
        }
        String email = "first-admin-" + run + "@dropship.example";
        firstAdminInvitedOnceAtStart(email, java.time.Instant.now());
        String lost = SignUps.codeFrom(email, "You are invited to Dropship");

        // The gateway starts again before anyone accepted (the mail may be lost with the mail server it went to): the
        // invitation is sent again, and the first one's link no longer works.
        firstAdminInvitedOnceAtStart(email, java.time.Instant.now());
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> MailTestResource.to(email).size() == 2);
        SignUps.post("invitations/accept", "{\"code\":\"" + lost + "\",\"name\":\"Old\",\"password\":\"a passphrase\"}")
                .statusCode(400);
        String admin = accept(email, "the first admin's passphrase");

        given().auth().oauth2(admin).get("/api/auth/me").then().body("role", equalTo("ADMIN"));
        invite(admin, "second-" + run + "@dropship.example", "SUPPORT").statusCode(202);
        org.junit.jupiter.api.Assertions.assertFalse(
                io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() ->
                        invitations.inviteFirstAdmin("another-" + run + "@dropship.example", java.time.Instant.now())),
                "there is an admin now");
    }

    @Test
    void anInvitationToAnAddressWithAnAccountIsAnsweredTheSameAndMakesNothing() {
        String email = "taken-" + run + "@shop.example";
        String owner = SignUps.retailer(email).getString("accessToken");
        invite(TestTokens.admin(), email, "SUPPORT").statusCode(202);
        await().atMost(30, TimeUnit.SECONDS)
                .until(() -> MailTestResource.to(email).stream().anyMatch(m -> {
                    try {
                        return m.getSubject().equals("Your Dropship invitation");
                    } catch (jakarta.mail.MessagingException e) {
                        return false;
                    }
                }));
        given().auth().oauth2(owner).get("/api/auth/me").then().body("kind", equalTo("RETAILER"));
    }
}
