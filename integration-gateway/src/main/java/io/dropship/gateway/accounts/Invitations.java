package io.dropship.gateway.accounts;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.web.Caller;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.quarkus.mailer.Mail;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Teams: a retailer's or supplier's owner invites people by e-mail to its team (as MEMBER or OWNER); an admin invites
 * staff (ADMIN or SUPPORT). The invitation's code is mailed and works once, for seven days; accepting it makes the
 * account, its e-mail confirmed (the code reached it). An address that has an account already is told so by mail and
 * the inviter is answered the same, so an invitation does not reveal who has an account.
 */
@ApplicationScoped
public class Invitations {

    private static final Logger LOG = Logger.getLogger(Invitations.class);
    private static final java.time.Duration LIFETIME = java.time.Duration.ofDays(7);

    public record Invited(String email, String kind, String tenantId, String role) {}

    private final Mutiny.SessionFactory sessions;
    private final Accounts accounts;
    private final GatewayConfig.Accounts config;
    private final PasswordHashing hashing;

    public Invitations(
            Mutiny.SessionFactory sessions, Accounts accounts, GatewayConfig config, PasswordHashing hashing) {
        this.sessions = sessions;
        this.hashing = hashing;
        this.accounts = accounts;
        this.config = config.accounts();
    }

    /** Invites the address, as the caller may: staff by an admin, a team member by its tenant's owner. */
    public Uni<Invited> invite(Caller caller, UUID callerAccount, String email, String role) {
        String normalized = email.trim().toLowerCase();
        Uni<Invited> who;
        if (caller.is(Roles.ADMIN)) {
            if (!Set.of("ADMIN", "SUPPORT").contains(role)) {
                throw ProblemException.badRequest("an admin invites staff: role ADMIN or SUPPORT");
            }
            who = Uni.createFrom().item(new Invited(normalized, "STAFF", null, role));
        } else {
            if (!Set.of("OWNER", "MEMBER").contains(role)) {
                throw ProblemException.badRequest("an owner invites to its team: role OWNER or MEMBER");
            }
            if (callerAccount == null) {
                throw ProblemException.forbidden("only a signed-in owner invites to a team");
            }
            who = sessions.withSession(s -> s.createNativeQuery(
                                    "select kind, tenant_id, role from account where id = :id", Object[].class)
                            .setParameter("id", callerAccount)
                            .getSingleResultOrNull())
                    .map(r -> {
                        if (r == null || !"OWNER".equals(r[2])) {
                            throw ProblemException.forbidden("only the team's owners invite to it");
                        }
                        return new Invited(normalized, (String) r[0], (String) r[1], role);
                    });
        }
        return who.chain(invited -> sessions.withTransaction(s -> s.createNativeQuery(
                                "select count(*) from account" + " where lower(email) = :e", Long.class)
                        .setParameter("e", normalized)
                        .getSingleResult()
                        .chain(n -> n > 0
                                ? Uni.createFrom()
                                        .item(Mail.withText(
                                                normalized,
                                                "Your Dropship invitation",
                                                "You were invited to a team on Dropship, but this address has an account already: sign in"
                                                        + " with it, or ask to be invited with another address.\n"))
                                : record(s, invited, caller.name())))
                .chain(accounts::send)
                .replaceWith(invited));
    }

    /**
     * The installation's first admin: while there is no admin account and no unexpired invitation to this address, an
     * invitation to become ADMIN is mailed to it. An invitation made before {@code renewMadeBefore} (by an earlier
     * start, whose mail may have gone with a mail server or a start cut short) is withdrawn and a new one mailed, so
     * restarting the gateway sends it again. Answers whether one was sent.
     */
    public Uni<Boolean> inviteFirstAdmin(String email, Instant renewMadeBefore) {
        String normalized = email.trim().toLowerCase();
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update invitation set expires_at = now() where email = :e and role = 'ADMIN'"
                                        + " and invited_by = :by and accepted_at is null and expires_at > now() and created_at < :before"
                                        + " and not exists (select 1 from account where kind = 'STAFF' and role = 'ADMIN')")
                        .setParameter("e", normalized)
                        .setParameter("by", FIRST_ADMIN)
                        .setParameter("before", renewMadeBefore.atOffset(ZoneOffset.UTC))
                        .executeUpdate()
                        .chain(() -> s.createNativeQuery(
                                        "select (select count(*) from account where kind = 'STAFF'"
                                                + " and role = 'ADMIN') + (select count(*) from invitation where email = :e and role = 'ADMIN'"
                                                + " and accepted_at is null and expires_at > now())",
                                        Long.class)
                                .setParameter("e", normalized)
                                .getSingleResult())
                        .chain(n -> n > 0
                                ? Uni.createFrom().<Mail>nullItem()
                                : record(s, new Invited(normalized, "STAFF", null, "ADMIN"), FIRST_ADMIN)))
                .chain(mail -> mail == null
                        ? Uni.createFrom().item(false)
                        : accounts.send(mail).replaceWith(true));
    }

    /** Who made the first admin's invitations (invitation.invited_by). */
    static final String FIRST_ADMIN = "the first-admin setting";

    private Uni<Mail> record(Mutiny.Session s, Invited invited, String by) {
        String code = Accounts.randomToken();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return s.createNativeQuery(
                        "insert into invitation (code_hash, email, kind, tenant_id, role, invited_by, created_at,"
                                + " expires_at) values (:h, :email, :kind, :tenant, :role, :by, :now, :expires)")
                .setParameter("h", Accounts.sha256(code))
                .setParameter("email", invited.email())
                .setParameter("kind", invited.kind())
                .setParameter("tenant", invited.tenantId())
                .setParameter("role", invited.role())
                .setParameter("by", by)
                .setParameter("now", now)
                .setParameter("expires", now.plus(LIFETIME))
                .executeUpdate()
                .invoke(() -> LOG.infof("%s invited %s as %s %s", by, invited.email(), invited.kind(), invited.role()))
                .replaceWith(Mail.withText(
                        invited.email(),
                        "You are invited to Dropship",
                        "You are invited to join "
                                + ("STAFF".equals(invited.kind()) ? "the Dropship staff" : "a team")
                                + " on Dropship as "
                                + invited.role().toLowerCase()
                                + ". Choose your password here (the link works for seven days):\n"
                                + config.appUrl() + "/accept-invitation?code=" + code + "\n"));
    }

    /** Accepts an invitation: the account, its e-mail confirmed. 400 for a code unknown, used or expired. */
    public Uni<UUID> accept(String code, String name, String password) {
        UUID accountId = UUID.randomUUID();
        return hashing.run(() -> Passwords.hash(password))
                .chain(hash -> sessions.withTransaction(s -> s.createNativeQuery(
                                "update invitation set accepted_at = now() where code_hash = :h and accepted_at is null"
                                        + " and expires_at > now() returning email, kind, tenant_id, role",
                                Object[].class)
                        .setParameter("h", Accounts.sha256(code))
                        .getResultList()
                        .chain(rows -> {
                            if (rows.isEmpty()) {
                                throw ProblemException.badRequest(
                                        "the invitation is not valid, was used already or has expired");
                            }
                            Object[] r = rows.get(0);
                            return s.createNativeQuery(
                                            "insert into account (id, email, password_hash, kind, tenant_id, role, name,"
                                                    + " email_verified_at, created_at, updated_at) values (:id, :email, :hash, :kind, :tenant,"
                                                    + " :role, :name, now(), now(), now()) on conflict do nothing")
                                    .setParameter("id", accountId)
                                    .setParameter("email", r[0])
                                    .setParameter("hash", hash)
                                    .setParameter("kind", r[1])
                                    .setParameter("tenant", r[2])
                                    .setParameter("role", r[3])
                                    .setParameter("name", name)
                                    .executeUpdate()
                                    .map(n -> {
                                        if (n == 0) {
                                            throw ProblemException.conflict(
                                                    "this address has an account already: sign in");
                                        }
                                        return accountId;
                                    });
                        })));
    }
}
