package org.fabtrail.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** A person who uses the web UI: member or admin of an organisation, or the log operator's staff. */
@Entity
@Table(name = "users")
public class Account extends PanacheEntityBase {

    public static final String OPERATOR = "operator";
    public static final String ORG_ADMIN = "org-admin";
    public static final String MEMBER = "member";

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String username;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** Null for the operator's staff. */
    @Column(name = "org_id")
    public String orgId;

    @Column(nullable = false)
    public String role;

    @Column(name = "password_hash", nullable = false)
    public String passwordHash;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "disabled_at")
    public Instant disabledAt;

    /** The TOTP secret, sealed ({@link SecondFactor}); null while the account has no second factor. */
    @Column(name = "totp_secret")
    public byte[] totpSecret;

    /** A TOTP secret being enrolled, sealed, until a code from it confirms it. */
    @Column(name = "totp_pending")
    public byte[] totpPending;

    /** The last time step whose code was taken (a code is never taken twice). */
    @Column(name = "totp_last_step", nullable = false)
    public long totpLastStep;

    /** Made by an organisation's identity provider: it has no password anyone knows, and signs in there only. */
    @Column(name = "external_only", nullable = false)
    public boolean externalOnly;

    public static Optional<Account> byUsername(String username) {
        return find("username", username).firstResultOptional();
    }

    public boolean isOperator() {
        return OPERATOR.equals(role);
    }

    public boolean isOrgAdmin() {
        return ORG_ADMIN.equals(role);
    }
}
