package org.fabtrail.web.session;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A right password waiting for the account's TOTP code; the code form carries a token whose SHA-256 keys it. */
@Entity
@Table(name = "second_factor_challenges")
public class SecondFactorChallenge extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public byte[] tokenHash;

    @Column(name = "user_id", nullable = false)
    public UUID userId;

    @Column(name = "next_path", nullable = false)
    public String nextPath;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public int attempts;
}
