package org.fabtrail.web.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import org.fabtrail.accounts.HashedTokenRow;

/** A right password waiting for the account's TOTP code; the code form carries a token whose SHA-256 keys it. */
@Entity
@Table(name = "second_factor_challenges")
public class SecondFactorChallenge extends HashedTokenRow {

    @Column(name = "next_path", nullable = false)
    public String nextPath;

    @Column(nullable = false)
    public int attempts;
}
