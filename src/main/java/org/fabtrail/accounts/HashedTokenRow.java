package org.fabtrail.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import java.time.Instant;
import java.util.UUID;

/**
 * A row that a browser reaches through a random token it holds (a cookie, a form field): keyed by the token's
 * SHA-256, never the token itself, and made for one account.
 */
@MappedSuperclass
public abstract class HashedTokenRow extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
