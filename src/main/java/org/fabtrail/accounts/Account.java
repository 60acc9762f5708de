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
