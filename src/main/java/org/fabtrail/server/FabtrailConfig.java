package org.fabtrail.server;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * Fabtrail's configuration ({@code fabtrail.*} properties; each also an environment variable such as
 * {@code FABTRAIL_DATA_DIR}). See docs/operators.md for the full table.
 */
@ConfigMapping(prefix = "fabtrail")
public interface FabtrailConfig {

    /** Data directory: embedded database, generated demo keys. */
    @WithDefault("./data")
    String dataDir();

    /** Operator Ed25519 private key: a PKCS#8 PEM file path, or the PEM text itself. */
    Optional<String> operatorKey();

    /** Whether a missing operator key may be generated in the data directory (dev, test and demo only). */
    @WithDefault("false")
    boolean generateOperatorKey();

    /** The checkpoint origin line, also the checkpoint signer's key name. */
    @WithDefault("fabtrail.local/log")
    String logOrigin();

    /**
     * The master key that encrypts organisations' UI signing keys at rest: 32 bytes, base64, or a path to a file
     * holding them. Unset: generated in the data directory in dev, test and demo; otherwise the UI cannot sign.
     */
    Optional<String> masterKey();

    /** Bearer token enabling the operator admin API; unset disables it. */
    Optional<String> bootstrapAdminToken();

    /** Seed demo organisations, keys and entries into an empty log. */
    @WithDefault("false")
    boolean demo();

    Ledger ledger();

    Db db();

    Api api();

    Attestation attestation();

    interface Attestation {
        /** How long an attestation challenge stays valid after it is issued. */
        @WithDefault("PT10M")
        java.time.Duration challengeTtl();
    }

    interface Api {
        /** Requests a second each API token may make on average. */
        @WithDefault("200")
        double ratePerSecond();

        /** Requests an API token may make in a burst. */
        @WithDefault("400")
        double rateBurst();

        /** Longest lifetime of a new API token, in days. */
        @WithDefault("365")
        int maxTokenDays();
    }

    interface Ledger {
        /** Most entries in one sequencing transaction. */
        @WithDefault("4000")
        int maxBatch();

        /** Most entries waiting for the sequencer; beyond this writes get 503 with Retry-After. */
        @WithDefault("50000")
        int queueCapacity();

        /** Largest accepted envelope, in bytes. */
        @WithDefault("65536")
        int maxEntryBytes();
    }

    interface Db {
        /** JDBC URL of an external PostgreSQL; unset runs the embedded server. */
        Optional<String> url();

        Optional<String> user();

        Optional<String> password();

        /** Port of the embedded server on 127.0.0.1; 0 picks a free port. */
        @WithDefault("0")
        int embeddedPort();
    }
}
