package org.fabtrail.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** An organisation's OpenID Connect identity provider, as its admins set it ({@link IdentityProviders}). */
@Entity
@Table(name = "identity_providers")
public class IdentityProvider extends PanacheEntityBase {

    @Id
    @Column(name = "org_id")
    public String orgId;

    /** What the organisation's admin set, as {@link IdentityProviders#save} accepted it. */
    @Embedded
    public IdentityProviders.Settings settings;

    /** The client secret, sealed under the master key and bound to the organisation. */
    @Column(name = "sealed_secret", nullable = false)
    public byte[] sealedSecret;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;
}
