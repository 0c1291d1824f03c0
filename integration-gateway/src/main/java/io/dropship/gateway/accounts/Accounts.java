package io.dropship.gateway.accounts;

import io.dropship.gateway.config.GatewayConfig;
import io.dropship.platform.sql.SqlValues;
import io.dropship.platform.web.ProblemException;
import io.dropship.platform.web.Roles;
import io.dropship.platform.web.TokenIssuer;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;
import org.jboss.logging.Logger;

/**
 * Accounts: sign-up with e-mail verification, sign-in, sessions with rotating refresh tokens, sign-out, password reset
 * and change. Nothing answers differently for an e-mail that has no account (no user enumeration): sign-up and reset
 * always answer "sent", and a wrong e-mail costs the same Argon2id work as a wrong password.
 *
 * <p>An access token (RS256, {@code accessTokenLifetime}) carries the claims every service reads (role groups,
 * {@code retailer_id} or {@code supplier_id}) and {@code sid}, its session. A refresh token is 32 random bytes kept only
 * as a SHA-256; each refresh replaces it, and one presented again after it was replaced revokes its whole session
 * (it was stolen or replayed). Sign-out revokes the session, a password reset every session of the account.
 */
@ApplicationScoped
public class Accounts {

    private static final Logger LOG = Logger.getLogger(Accounts.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    static final String SIGN_IN_REFUSED = "the e-mail or the password is wrong";

    public record Tokens(
            String accessToken, String refreshToken, String tokenType, long expiresIn, long refreshExpiresIn) {}

    public record AccountView(
            UUID accountId,
            String email,
            String name,
            String kind,
            String role,
            String retailerId,
            String supplierId,
            boolean emailVerified,
            Instant createdAt) {}

    /** Who signs in: an account's row, as the sign-in and refresh read it. */
    private record Who(
            UUID id,
            String email,
            String passwordHash,
            String kind,
            String tenantId,
            String role,
            boolean verified,
            int failed,
            Instant lockedUntil,
            String tenantStatus,
            String tenantReason) {}

    private final Mutiny.SessionFactory sessions;
    private final TokenIssuer issuer;
    private final ReactiveMailer mailer;
    private final GatewayConfig.Accounts config;
    private final io.dropship.platform.outbox.Outbox outbox;
    private final PasswordHashing hashing;

    public Accounts(
            Mutiny.SessionFactory sessions,
            TokenIssuer issuer,
            ReactiveMailer mailer,
            GatewayConfig config,
            io.dropship.platform.outbox.Outbox outbox,
            PasswordHashing hashing) {
        this.outbox = outbox;
        this.hashing = hashing;
        this.sessions = sessions;
        this.issuer = issuer;
        this.mailer = mailer;
        this.config = config.accounts();
    }

    /**
     * A retailer signs up: its retailer record and its owner's account, unverified, and a verification mail. An e-mail
     * that has an account already gets a mail saying so instead; the answer is the same.
     */
    public Uni<Void> signUpRetailer(String company, String name, String email, String password) {
        String normalized = email.trim().toLowerCase();
        return hashing.run(() -> Passwords.hash(password))
                .chain(hash -> sessions.withTransaction(s -> s.createNativeQuery(
                                "select count(*) from account where lower(email) = :e", Long.class)
                        .setParameter("e", normalized)
                        .getSingleResult()
                        .chain(n -> n > 0
                                ? Uni.createFrom().item(alreadyThere(normalized))
                                : create(s, company, name, normalized, hash))))
                .onFailure(Accounts::sameEmailAtOnce)
                .recoverWithNull()
                .chain(this::send);
    }

    public record SupplierSignedUp(
            String supplierId,
            String companyName,
            String contactEmail,
            String contactName,
            String businessType,
            String shipFromRegion,
            Instant signedUpAt) {
        public static final String TOPIC = "SupplierSignedUp";
    }

    /**
     * A supplier signs up: its owner's account, unverified, naming a new supplier id, and SupplierSignedUp, on which
     * catalog-service registers the supplier (PENDING, its onboarding open). The answer and the mails are as for a
     * retailer's sign-up.
     */
    public Uni<Void> signUpSupplier(
            String company, String name, String email, String password, String businessType, String shipFromRegion) {
        String normalized = email.trim().toLowerCase();
        String supplierId =
                "sup-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return hashing.run(() -> Passwords.hash(password))
                .chain(hash -> sessions.withTransaction(s -> s.createNativeQuery(
                                "select count(*) from account where lower(email) = :e", Long.class)
                        .setParameter("e", normalized)
                        .getSingleResult()
                        .chain(n -> n > 0
                                ? Uni.createFrom().item(alreadyThere(normalized))
                                : account(s, "SUPPLIER", supplierId, name, normalized, hash)
                                        .call(() -> outbox.publish(
                                                s,
                                                SupplierSignedUp.TOPIC,
                                                supplierId,
                                                new SupplierSignedUp(
                                                        supplierId,
                                                        company,
                                                        normalized,
                                                        name,
                                                        businessType,
                                                        shipFromRegion,
                                                        Instant.now()))))))
                .onFailure(Accounts::sameEmailAtOnce)
                .recoverWithNull()
                .chain(this::send);
    }

    private Mail alreadyThere(String email) {
        return Mail.withText(
                email,
                "Your Dropship account",
                "Someone, perhaps you, tried to sign up with this address, which already has an account.\n"
                        + "Sign in, or reset your password: " + config.appUrl() + "/reset-password\n");
    }

    /** Two sign-ups with one address at once: the second finds the unique index, and is answered the same. */
    private static boolean sameEmailAtOnce(Throwable e) {
        return String.valueOf(e.getMessage()).contains("account_email")
                || (e.getCause() != null
                        && String.valueOf(e.getCause().getMessage()).contains("account_email"));
    }

    /** A tenant's owner account, unconfirmed, and the mail that confirms it. */
    private Uni<Mail> account(Mutiny.Session s, String kind, String tenantId, String name, String email, String hash) {
        UUID accountId = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return s.createNativeQuery(
                        "insert into account (id, email, password_hash, kind, tenant_id, role, name,"
                                + " created_at, updated_at) values (:id, :email, :hash, :kind, :tenant, 'OWNER', :name, :now, :now)")
                .setParameter("id", accountId)
                .setParameter("email", email)
                .setParameter("hash", hash)
                .setParameter("kind", kind)
                .setParameter("tenant", tenantId)
                .setParameter("name", name)
                .setParameter("now", now)
                .executeUpdate()
                .chain(() -> code(s, accountId, "VERIFY_EMAIL", java.time.Duration.ofDays(2)))
                .map(code -> verificationMail(email, code))
                .invoke(() -> LOG.infof("%s %s signed up (account %s)", kind.toLowerCase(), tenantId, accountId));
    }

    private Uni<Mail> create(Mutiny.Session s, String company, String name, String email, String hash) {
        String retailerId = "ret-" + UUID.randomUUID().toString().substring(0, 12);
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return s.createNativeQuery("insert into retailer (id, company, contact_email, status, created_at, updated_at)"
                        + " values (:id, :company, :email, 'ACTIVE', :now, :now)")
                .setParameter("id", retailerId)
                .setParameter("company", company)
                .setParameter("email", email)
                .setParameter("now", now)
                .executeUpdate()
                .chain(() -> account(s, "RETAILER", retailerId, name, email, hash));
    }

    private Mail verificationMail(String email, String code) {
        return Mail.withText(
                email,
                "Confirm your e-mail for Dropship",
                "Confirm this address to sign in:\n" + config.appUrl() + "/verify-email?code=" + code
                        + "\nThe link works for two days.\n");
    }

    /** Sends a new verification link to an unverified account; answers the same for any e-mail. */
    public Uni<Void> resendVerification(String email) {
        String normalized = email.trim().toLowerCase();
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "select id from account where lower(email) = :e" + " and email_verified_at is null",
                                UUID.class)
                        .setParameter("e", normalized)
                        .getResultList()
                        .chain(ids -> ids.isEmpty()
                                ? Uni.createFrom().nullItem()
                                : code(s, ids.get(0), "VERIFY_EMAIL", java.time.Duration.ofDays(2))
                                        .map(c -> verificationMail(normalized, c))))
                .chain(this::send);
    }

    public Uni<Void> verifyEmail(String code) {
        return sessions.withTransaction(s -> use(s, code, "VERIFY_EMAIL")
                        .chain(accountId -> s.createNativeQuery(
                                        "update account set email_verified_at = coalesce(email_verified_at, now()), updated_at = now()"
                                                + " where id = :id")
                                .setParameter("id", accountId)
                                .executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * Signs in: a new session and its tokens. A wrong e-mail, a wrong password and a locked account get the same 401;
     * the account is locked for {@code lockout} after {@code maxFailedSignIns} wrong passwords in a row.
     */
    public Uni<Tokens> signIn(String email, String password, String address, String userAgent) {
        String normalized = email.trim().toLowerCase();
        return sessions.withSession(s -> who(s, "lower(a.email) = :key", normalized))
                .chain(who -> hashing.run(
                                () -> Passwords.matches(password, who == null ? Passwords.DECOY : who.passwordHash()))
                        .chain(matches ->
                                sessions.withTransaction(s -> decided(judge(s, who, matches, address, userAgent))))
                        .map(Answer::tokensOrThrow));
    }

    /**
     * A transaction's writes are kept only when it succeeds, and a refusal's must be (a failed attempt's count, a
     * revoked session): inside the transaction a refusal is an answer ({@link #decided}), thrown once it has committed.
     */
    private record Answer(Tokens tokens, ProblemException refusal) {
        Tokens tokensOrThrow() {
            if (refusal != null) {
                throw refusal;
            }
            return tokens;
        }
    }

    private static Uni<Answer> decided(Uni<Tokens> work) {
        return work.map(t -> new Answer(t, null))
                .onFailure(ProblemException.class)
                .recoverWithItem(e -> new Answer(null, (ProblemException) e));
    }

    private Uni<Tokens> judge(Mutiny.Session s, Who who, boolean matches, String address, String userAgent) {
        Instant now = Instant.now();
        if (who == null) {
            return Uni.createFrom()
                    .failure(ProblemException.unauthorized(SIGN_IN_REFUSED).type("sign-in-refused"));
        }
        if (who.lockedUntil() != null && who.lockedUntil().isAfter(now)) {
            LOG.infof("sign-in to locked account %s refused", who.id());
            return Uni.createFrom()
                    .failure(ProblemException.unauthorized(SIGN_IN_REFUSED).type("sign-in-refused"));
        }
        if (!matches) {
            boolean lock = who.failed() + 1 >= config.maxFailedSignIns();
            return s.createNativeQuery(
                            "update account set failed_sign_ins = case when :lock then 0 else failed_sign_ins + 1 end,"
                                    + " locked_until = case when :lock then now() + make_interval(secs => :secs) else locked_until end"
                                    + " where id = :id")
                    .setParameter("lock", lock)
                    .setParameter("secs", (double) config.lockout().toSeconds())
                    .setParameter("id", who.id())
                    .executeUpdate()
                    .invoke(() -> {
                        if (lock) {
                            LOG.warnf(
                                    "account %s locked for %s after %d wrong passwords",
                                    who.id(), config.lockout(), config.maxFailedSignIns());
                        }
                    })
                    .chain(() -> Uni.createFrom()
                            .failure(ProblemException.unauthorized(SIGN_IN_REFUSED)
                                    .type("sign-in-refused")));
        }
        if (!who.verified()) {
            return Uni.createFrom()
                    .failure(ProblemException.forbidden("confirm your e-mail first: follow the link we sent"
                                    + " (POST /api/auth/verify-email/resend sends a new one)")
                            .type("email-not-verified"));
        }
        if ("SUSPENDED".equals(who.tenantStatus())) {
            return Uni.createFrom().failure(suspended(who));
        }
        return s.createNativeQuery("update account set failed_sign_ins = 0, locked_until = null where id = :id")
                .setParameter("id", who.id())
                .executeUpdate()
                .chain(() -> openSession(s, who, address, userAgent));
    }

    /**
     * Single sign-on: an OpenID Connect provider vouched for this (verified) address. The account with that address
     * is signed in; without one, a staff role the provider's groups map to makes a staff account (its password
     * unusable until reset), and anything else is refused: retailers and suppliers sign up or are invited first. The
     * answer is a one-time code, good for a minute, that the app exchanges for tokens ({@link #exchangeSso}), so no
     * token travels in a redirect.
     */
    public Uni<String> singleSignOn(String email, java.util.Optional<String> staffRole, String name) {
        String normalized = email.trim().toLowerCase();
        return sessions.withTransaction(s -> who(s, "lower(a.email) = :key", normalized)
                .chain(who -> {
                    if (who == null) {
                        if (staffRole.isEmpty()) {
                            throw ProblemException.forbidden(
                                            "no account has this address: sign up, or ask for an invitation")
                                    .type("sso-no-account");
                        }
                        UUID id = UUID.randomUUID();
                        return s.createNativeQuery(
                                        "insert into account (id, email, password_hash, kind, tenant_id, role, name,"
                                                + " email_verified_at, created_at, updated_at) values (:id, :email, 'single-sign-on', 'STAFF',"
                                                + " null, :role, :name, now(), now(), now())")
                                .setParameter("id", id)
                                .setParameter("email", normalized)
                                .setParameter("role", staffRole.get())
                                .setParameter("name", SqlValues.fit(name, 200))
                                .executeUpdate()
                                .invoke(() ->
                                        LOG.infof("staff account %s (%s) made by single sign-on", id, staffRole.get()))
                                .chain(() -> code(s, id, "SSO_SIGNIN", java.time.Duration.ofMinutes(1)));
                    }
                    if ("SUSPENDED".equals(who.tenantStatus())) {
                        throw suspended(who);
                    }
                    return s.createNativeQuery(
                                    "update account set email_verified_at = coalesce(email_verified_at, now()),"
                                            + " failed_sign_ins = 0, locked_until = null where id = :id")
                            .setParameter("id", who.id())
                            .executeUpdate()
                            .chain(() -> code(s, who.id(), "SSO_SIGNIN", java.time.Duration.ofMinutes(1)));
                }));
    }

    /** The tokens for a single sign-on's one-time code: a new session, like a password sign-in's. */
    public Uni<Tokens> exchangeSso(String code, String address, String userAgent) {
        return sessions.withTransaction(s -> use(s, code, "SSO_SIGNIN")
                .chain(id -> who(s, "a.id = cast(:key as uuid)", id.toString()))
                .chain(who -> {
                    if ("SUSPENDED".equals(who.tenantStatus())) {
                        throw suspended(who);
                    }
                    return openSession(s, who, address, userAgent);
                }));
    }

    private Uni<Tokens> openSession(Mutiny.Session s, Who who, String address, String userAgent) {
        UUID sessionId = UUID.randomUUID();
        String refresh = randomToken();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return s.createNativeQuery(
                        "insert into auth_session (id, account_id, refresh_hash, created_at, refreshed_at, expires_at,"
                                + " client_address, user_agent) values (:id, :account, :hash, :now, :now, :expires, :address, :agent)")
                .setParameter("id", sessionId)
                .setParameter("account", who.id())
                .setParameter("hash", sha256(refresh))
                .setParameter("now", now)
                .setParameter("expires", now.plus(config.sessionLifetime()))
                .setParameter("address", SqlValues.fit(address, 64))
                .setParameter("agent", SqlValues.fit(userAgent, 300))
                .executeUpdate()
                .map(n -> tokens(who, sessionId, refresh));
    }

    /**
     * A new pair of tokens for a refresh token, which is replaced. One that was replaced already (presented again:
     * stolen, or replayed) revokes its session; one that is unknown, expired or revoked is 401.
     */
    public Uni<Tokens> refresh(String refreshToken) {
        byte[] hash = sha256(refreshToken);
        return sessions.withTransaction(s -> decided(s.createNativeQuery(
                                "select id, account_id, revoked_at is null and expires_at > now()"
                                        + " from auth_session where refresh_hash = :h for update",
                                Object[].class)
                        .setParameter("h", hash)
                        .getSingleResultOrNull()
                        .chain(row -> {
                            if (row == null) {
                                return reused(s, hash);
                            }
                            if (!(Boolean) row[2]) {
                                return Uni.createFrom()
                                        .failure(ProblemException.unauthorized("the session has ended: sign in again")
                                                .type("session-ended"));
                            }
                            UUID sessionId = (UUID) row[0];
                            String next = randomToken();
                            return who(s, "a.id = cast(:key as uuid)", row[1].toString())
                                    .chain(who -> {
                                        if ("SUSPENDED".equals(who.tenantStatus())) {
                                            return revoke(s, "id = :id", sessionId, "suspended")
                                                    .chain(() ->
                                                            Uni.createFrom().failure(suspended(who)));
                                        }
                                        return s.createNativeQuery(
                                                        "insert into auth_refresh_used (refresh_hash, session_id, used_at)"
                                                                + " values (:h, :sessionId, now())")
                                                .setParameter("h", hash)
                                                .setParameter("sessionId", sessionId)
                                                .executeUpdate()
                                                .chain(() -> s.createNativeQuery(
                                                                "update auth_session set refresh_hash = :next, refreshed_at = now(),"
                                                                        + " expires_at = now() + make_interval(secs => :secs) where id = :id")
                                                        .setParameter("next", sha256(next))
                                                        .setParameter("id", sessionId)
                                                        .setParameter("secs", (double) config.sessionLifetime()
                                                                .toSeconds())
                                                        .executeUpdate())
                                                .map(n -> tokens(who, sessionId, next));
                                    });
                        })))
                .map(Answer::tokensOrThrow);
    }

    private Uni<Tokens> reused(Mutiny.Session s, byte[] hash) {
        return s.createNativeQuery("select session_id from auth_refresh_used where refresh_hash = :h", UUID.class)
                .setParameter("h", hash)
                .getSingleResultOrNull()
                .chain(sessionId -> sessionId == null
                        ? Uni.createFrom()
                                .failure(ProblemException.unauthorized(
                                                "the refresh token" + " is not valid: sign in again")
                                        .type("session-ended"))
                        : revoke(s, "id = :id and revoked_at is null", sessionId, "refresh token reused")
                                .invoke(() -> LOG.warnf(
                                        "refresh token of session %s presented again after it was replaced: session revoked",
                                        sessionId))
                                .chain(() -> Uni.createFrom()
                                        .failure(ProblemException.unauthorized("this refresh token was used already;"
                                                        + " the session is ended: sign in again")
                                                .type("refresh-token-reused"))));
    }

    /** Ends the session the access token belongs to (its {@code sid}). */
    public Uni<Void> signOut(UUID accountId, UUID sessionId) {
        return sessions.withTransaction(s -> revoke(
                        s,
                        "id = :id and account_id = cast(:account as uuid)",
                        sessionId,
                        "signed out",
                        accountId.toString()))
                .replaceWithVoid();
    }

    /** Ends every session of the account. */
    public Uni<Void> signOutEverywhere(UUID accountId) {
        return sessions.withTransaction(
                        s -> revoke(s, "account_id = :id and revoked_at is null", accountId, "signed out everywhere"))
                .replaceWithVoid();
    }

    /** Mails a reset link when the e-mail has an account; answers the same either way. */
    public Uni<Void> requestPasswordReset(String email) {
        String normalized = email.trim().toLowerCase();
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "select id from account where lower(email) = :e", UUID.class)
                        .setParameter("e", normalized)
                        .getResultList()
                        .chain(ids -> ids.isEmpty()
                                ? Uni.createFrom().nullItem()
                                : code(s, ids.get(0), "RESET_PASSWORD", java.time.Duration.ofHours(1))
                                        .map(c -> (Mail) Mail.withText(
                                                normalized,
                                                "Reset your Dropship password",
                                                "Choose a new password here (the link works for an hour):\n"
                                                        + config.appUrl() + "/reset-password?code=" + c
                                                        + "\nIf you did not ask for this, ignore this mail.\n"))))
                .chain(this::send);
    }

    /** Sets a new password with a reset code; every session of the account ends, and a lock is lifted. */
    public Uni<Void> resetPassword(String code, String password) {
        return hashing.run(() -> Passwords.hash(password))
                .chain(hash -> sessions.withTransaction(s -> use(s, code, "RESET_PASSWORD")
                        .chain(accountId -> s.createNativeQuery(
                                        "update account set password_hash = :hash, failed_sign_ins = 0,"
                                                + " locked_until = null, email_verified_at = coalesce(email_verified_at, now()), updated_at = now()"
                                                + " where id = :id")
                                .setParameter("hash", hash)
                                .setParameter("id", accountId)
                                .executeUpdate()
                                .chain(() -> revoke(
                                        s, "account_id = :id and revoked_at is null", accountId, "password reset")))))
                .replaceWithVoid();
    }

    /** Changes the password of a signed-in account; its other sessions end. */
    public Uni<Void> changePassword(UUID accountId, UUID sessionId, String current, String password) {
        return sessions.withSession(s -> who(s, "a.id = cast(:key as uuid)", accountId.toString()))
                .chain(who -> hashing.run(() -> who != null && Passwords.matches(current, who.passwordHash())
                        ? Passwords.hash(password)
                        : null))
                .chain(hash -> {
                    if (hash == null) {
                        return Uni.createFrom()
                                .failure(ProblemException.forbidden("the current password is wrong")
                                        .type("wrong-password"));
                    }
                    return sessions.withTransaction(s -> s.createNativeQuery("update account set password_hash = :hash,"
                                            + " updated_at = now() where id = :id")
                                    .setParameter("hash", hash)
                                    .setParameter("id", accountId)
                                    .executeUpdate()
                                    .chain(() -> s.createNativeQuery(
                                                    "update auth_session set revoked_at = now(), revoked_reason = 'password"
                                                            + " changed' where account_id = :id and revoked_at is null and id <> cast(:sid as uuid)")
                                            .setParameter("id", accountId)
                                            .setParameter("sid", String.valueOf(sessionId))
                                            .executeUpdate()))
                            .replaceWithVoid();
                });
    }

    /**
     * Starts a change of e-mail (the current password proves the caller): a code goes to the new address, and nothing
     * changes until it comes back. An address that has an account is answered the same and told so by mail.
     */
    public Uni<Void> requestEmailChange(UUID accountId, String password, String newEmail) {
        String normalized = newEmail.trim().toLowerCase();
        return sessions.withSession(s -> who(s, "a.id = cast(:key as uuid)", accountId.toString()))
                .chain(who -> hashing.run(() -> who != null && Passwords.matches(password, who.passwordHash())))
                .chain(matches -> {
                    if (!matches) {
                        return Uni.createFrom()
                                .failure(ProblemException.forbidden("the current password is wrong")
                                        .type("wrong-password"));
                    }
                    return sessions.withTransaction(s -> s.createNativeQuery(
                                            "select count(*) from account where lower(email) = :e", Long.class)
                                    .setParameter("e", normalized)
                                    .getSingleResult()
                                    .chain(n -> n > 0
                                            ? Uni.createFrom().item(alreadyThere(normalized))
                                            : code(s, accountId, "CHANGE_EMAIL", java.time.Duration.ofDays(1))
                                                    .call(c -> s.createNativeQuery(
                                                                    "update account_code set new_email = :e where code_hash = :h")
                                                            .setParameter("e", normalized)
                                                            .setParameter("h", sha256(c))
                                                            .executeUpdate())
                                                    .map(c -> Mail.withText(
                                                            normalized,
                                                            "Confirm your new e-mail for Dropship",
                                                            "Confirm this address to sign in with it from now on (the link works for a day):\n"
                                                                    + config.appUrl() + "/confirm-email?code=" + c
                                                                    + "\n"))))
                            .chain(this::send);
                });
    }

    /** Confirms a change of e-mail with the code sent to the new address; the old address is told. */
    public Uni<Void> confirmEmailChange(String code) {
        return sessions.withTransaction(s -> s.createNativeQuery(
                                "update account_code set used_at = now() where code_hash = :h"
                                        + " and purpose = 'CHANGE_EMAIL' and used_at is null and expires_at > now()"
                                        + " returning account_id, new_email",
                                Object[].class)
                        .setParameter("h", sha256(code))
                        .getResultList()
                        .chain(rows -> {
                            if (rows.isEmpty()) {
                                throw ProblemException.badRequest(
                                                "the link is not valid, was used already or has expired")
                                        .type("link-not-valid");
                            }
                            UUID accountId = (UUID) rows.get(0)[0];
                            String newEmail = (String) rows.get(0)[1];
                            return s.createNativeQuery("select email from account where id = :id", String.class)
                                    .setParameter("id", accountId)
                                    .getSingleResult()
                                    .call(() -> s.createNativeQuery(
                                                    "update account set email = :e, email_verified_at = now(),"
                                                            + " updated_at = now() where id = :id")
                                            .setParameter("e", newEmail)
                                            .setParameter("id", accountId)
                                            .executeUpdate())
                                    .map(old -> Mail.withText(
                                            old,
                                            "Your Dropship e-mail was changed",
                                            "The account that"
                                                    + " used this address now signs in with " + newEmail
                                                    + ". If you did not do this,"
                                                    + " reset your password from that address or contact support.\n"));
                        }))
                .onFailure(Accounts::sameEmailAtOnce)
                .transform(e -> ProblemException.conflict("that address has an account already")
                        .type("email-taken"))
                .chain(this::send);
    }

    public Uni<AccountView> me(UUID accountId) {
        return sessions.withSession(s -> s.createNativeQuery(
                        "select id, email, name, kind, role, tenant_id,"
                                + " email_verified_at is not null, created_at from account where id = :id",
                        Object[].class)
                .setParameter("id", accountId)
                .getSingleResultOrNull()
                .map(r -> {
                    if (r == null) {
                        throw ProblemException.notFound("account " + accountId);
                    }
                    String kind = (String) r[3];
                    return new AccountView(
                            (UUID) r[0],
                            (String) r[1],
                            (String) r[2],
                            kind,
                            (String) r[4],
                            "RETAILER".equals(kind) ? (String) r[5] : null,
                            "SUPPLIER".equals(kind) ? (String) r[5] : null,
                            (Boolean) r[6],
                            io.dropship.platform.sql.SqlValues.instant(r[7]));
                }));
    }

    private Tokens tokens(Who who, UUID sessionId, String refresh) {
        Map<String, String> claims = new HashMap<>();
        claims.put("sid", sessionId.toString());
        String group = switch (who.kind()) {
            case "RETAILER" -> {
                claims.put(Roles.RETAILER_CLAIM, who.tenantId());
                yield Roles.RETAILER;
            }
            case "SUPPLIER" -> {
                claims.put(Roles.SUPPLIER_CLAIM, who.tenantId());
                yield Roles.SUPPLIER;
            }
            default -> "ADMIN".equals(who.role()) ? Roles.ADMIN : Roles.SUPPORT;
        };
        TokenIssuer.IssuedToken access =
                issuer.issue(who.id().toString(), Set.of(group), claims, config.accessTokenLifetime());
        return new Tokens(
                access.accessToken(),
                refresh,
                "Bearer",
                access.expiresIn(),
                config.sessionLifetime().toSeconds());
    }

    private static ProblemException suspended(Who who) {
        return ProblemException.forbidden("the account's " + who.kind().toLowerCase() + " is suspended"
                        + (who.tenantReason() == null ? "" : ": " + who.tenantReason()))
                .type(who.kind().toLowerCase() + "-suspended");
    }

    private static Uni<Who> who(Mutiny.Session s, String condition, String key) {
        return s.createNativeQuery(
                        "select a.id, a.email, a.password_hash, a.kind, a.tenant_id, a.role,"
                                + " a.email_verified_at is not null, a.failed_sign_ins, a.locked_until, r.status, r.status_reason"
                                + " from account a left join retailer r on a.kind = 'RETAILER' and r.id = a.tenant_id where "
                                + condition,
                        Object[].class)
                .setParameter("key", key)
                .getSingleResultOrNull()
                .map(r -> r == null
                        ? null
                        : new Who(
                                (UUID) r[0],
                                (String) r[1],
                                (String) r[2],
                                (String) r[3],
                                (String) r[4],
                                (String) r[5],
                                (Boolean) r[6],
                                ((Number) r[7]).intValue(),
                                io.dropship.platform.sql.SqlValues.instant(r[8]),
                                (String) r[9],
                                (String) r[10]));
    }

    private static Uni<Integer> revoke(Mutiny.Session s, String condition, UUID id, String reason, String... account) {
        var query = s.createNativeQuery(
                        "update auth_session set revoked_at = now(), revoked_reason = :reason where " + condition)
                .setParameter("id", id)
                .setParameter("reason", reason);
        if (account.length > 0) {
            query.setParameter("account", account[0]);
        }
        return query.executeUpdate();
    }

    /** A new one-time code for the account, mailed in a link; only its SHA-256 is kept. */
    private static Uni<String> code(Mutiny.Session s, UUID accountId, String purpose, java.time.Duration lifetime) {
        String code = randomToken();
        return s.createNativeQuery("insert into account_code (code_hash, account_id, purpose, expires_at)"
                        + " values (:h, :a, :p, now() + make_interval(secs => :secs))")
                .setParameter("h", sha256(code))
                .setParameter("a", accountId)
                .setParameter("p", purpose)
                .setParameter("secs", (double) lifetime.toSeconds())
                .executeUpdate()
                .replaceWith(code);
    }

    /** Uses a one-time code once: the account it is for, or 400 when it is unknown, used or expired. */
    private static Uni<UUID> use(Mutiny.Session s, String code, String purpose) {
        return s.createNativeQuery(
                        "update account_code set used_at = now() where code_hash = :h and purpose = :p"
                                + " and used_at is null and expires_at > now() returning account_id",
                        UUID.class)
                .setParameter("h", sha256(code == null ? "" : code))
                .setParameter("p", purpose)
                .getResultList()
                .map(ids -> {
                    if (ids.isEmpty()) {
                        throw ProblemException.badRequest("the link is not valid, was used already or has expired")
                                .type("link-not-valid");
                    }
                    return ids.get(0);
                });
    }

    /** Sends a mail after the transaction that made it committed; a mail that cannot be sent is logged, not fatal. */
    Uni<Void> send(Mail mail) {
        if (mail == null) {
            return Uni.createFrom().voidItem();
        }
        mail.setFrom(config.mailFrom());
        return mailer.send(mail)
                .onFailure()
                .invoke(e -> LOG.errorf(e, "could not send the mail \"%s\"", mail.getSubject()))
                .onFailure()
                .recoverWithNull()
                .replaceWithVoid();
    }

    static String randomToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
