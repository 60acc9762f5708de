package org.fabtrail.accounts;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.time.Instant;

/** A server-side login session; the browser's cookie holds a random token whose SHA-256 is the key. */
@Entity
@Table(name = "sessions")
public class WebSession extends HashedTokenRow {

    @Column(name = "csrf_token", nullable = false)
    public String csrfToken;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;
}
