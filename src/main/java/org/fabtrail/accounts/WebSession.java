package org.fabtrail.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A server-side login session; the browser's cookie holds a random token whose SHA-256 is the key. */
@Entity
@Table(name = "sessions")
public class WebSession extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "csrf_token", nullable = false)
    public String csrfToken;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;
}
