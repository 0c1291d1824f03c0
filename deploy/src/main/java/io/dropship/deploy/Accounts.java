package io.dropship.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the demo, the benches and chaos get their people: as users do, through the gateway's one API. The local admin
 * signs in with the password ./fleet up kept; suppliers and retailers sign up, confirm their e-mail from the fleet's
 * mail server and sign in; support agents are invited by the admin. Nothing mints a token.
 */
final class Accounts {

    /** A signed-in user: its tenant id (retailerId or supplierId; null for staff) and access token. */
    record User(String id, String token) {}

    private Accounts() {}

    static String localAdmin(String gateway) throws Exception {
        Path file = Fleet.adminPasswordFile(Fleet.startedData != null ? Fleet.startedData : Path.of(".fleet"));
        if (!Files.exists(file)) {
            throw new IllegalStateException("no local admin password at " + file + ": start the fleet with ./fleet up"
                    + " (its first start creates the local admin and keeps its password there)");
        }
        return signIn(gateway, Fleet.LOCAL_ADMIN, Files.readString(file).trim());
    }

    static String signIn(String gateway, String email, String password) throws Exception {
        return Api.ok(
                        "POST",
                        gateway + "/api/auth/signin",
                        null,
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                .get("accessToken")
                .asText();
    }

    /** The admin invites a support agent, who accepts from the mail and signs in. */
    static String support(String gateway, String admin, String email, String password) throws Exception {
        Api.ok("POST", gateway + "/api/auth/invitations", admin, "{\"email\":\"" + email + "\",\"role\":\"SUPPORT\"}");
        Api.ok(
                "POST",
                gateway + "/api/auth/invitations/accept",
                null,
                "{\"code\":\""
                        + Mailbox.code(email, "You are invited", Duration.ofSeconds(30))
                        + "\",\"name\":\"Support\",\"password\":\""
                        + password + "\"}");
        return signIn(gateway, email, password);
    }

    /**
     * A supplier signs up (its onboarding starts in the catalog through SupplierSignedUp), confirms its e-mail, signs
     * in, and the admin passes its verification steps and approves it once the catalog has it.
     */
    static User supplier(String gateway, String admin, String company, String email, String region, String password)
            throws Exception {
        Api.ok(
                "POST",
                gateway + "/api/auth/signup/supplier",
                null,
                "{\"companyName\":\"" + company + "\",\"email\":\""
                        + email + "\",\"password\":\"" + password
                        + "\",\"businessType\":\"MANUFACTURER\",\"shipFromRegion\":\""
                        + region + "\"}");
        confirm(gateway, email);
        String token = signIn(gateway, email, password);
        String supplierId = Api.ok("GET", gateway + "/api/auth/me", token, null)
                .get("supplierId")
                .asText();
        Api.await(
                gateway + "/api/suppliers/" + supplierId,
                admin,
                x -> "PENDING".equals(x.path("status").asText()),
                Duration.ofSeconds(30));
        Api.approveSupplier(gateway, admin, supplierId);
        return new User(supplierId, token);
    }

    /** A retailer signs up with its company, confirms its e-mail and signs in. */
    static User retailer(String gateway, String company, String email, String password) throws Exception {
        Api.ok(
                "POST",
                gateway + "/api/auth/signup",
                null,
                "{\"company\":\"" + company + "\",\"name\":\"Ada\"," + "\"email\":\"" + email + "\",\"password\":\""
                        + password + "\"}");
        confirm(gateway, email);
        String token = signIn(gateway, email, password);
        return new User(
                Api.ok("GET", gateway + "/api/auth/me", token, null)
                        .get("retailerId")
                        .asText(),
                token);
    }

    private static void confirm(String gateway, String email) throws Exception {
        Api.ok(
                "POST",
                gateway + "/api/auth/verify-email",
                null,
                "{\"code\":\"" + Mailbox.code(email, "Confirm your e-mail", Duration.ofSeconds(30)) + "\"}");
    }
}
