package org.fabtrail.web.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** A sign-in under way at an organisation's identity provider ({@link OidcSignIn}); the state's SHA-256 keys it. */
@Entity
@Table(name = "oidc_sign_ins")
public class OidcPending extends PanacheEntityBase {

    @Id
    @Column(name = "state_hash")
    public byte[] stateHash;

    @Column(name = "org_id", nullable = false)
    public String orgId;

    @Column(nullable = false)
    public String nonce;

    @Column(nullable = false)
    public String verifier;

    @Column(name = "next_path", nullable = false)
    public String nextPath;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
