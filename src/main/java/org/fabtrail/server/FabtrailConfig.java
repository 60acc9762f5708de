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

    /**
     * The key that seals webhook secrets at rest: 32 bytes, base64, or a path to a file holding them. Unset:
     * {@code <data dir>/webhook.key} when it exists, else the master key when there is one, else that file, generated
     * on first use (server.MasterKeys; docs/operators.md).
     */
    Optional<String> webhookKey();

    /** Bearer token enabling the operator admin API; unset disables it. */
    Optional<String> bootstrapAdminToken();

    /**
     * Rollback protection: the tree size of a database restored from a backup on purpose, which Fabtrail then
     * accepts although it does not extend the newest checkpoint in {@code <data dir>/latest-checkpoint}. Only a
     * database of exactly this size is accepted; remove the setting after that start.
     */
    java.util.OptionalLong acceptRollbackTo();

    /** Seed demo organisations, keys and entries into an empty log. */
    @WithDefault("false")
    boolean demo();

    Ledger ledger();

    Db db();

    Attestation attestation();

    Discrepancy discrepancy();

    Witnessing witnessing();

    /**
     * Independent witnesses that cosign the log's checkpoints (c2sp.org/tlog-witness; docs/operators.md, "Witnesses")
     * and the policy the served checkpoint must meet.
     */
    interface Witnessing {
        /**
         * The witnesses, each {@code <name> <submission URL> <witness vkey>} (the vkey is the one the witness prints,
         * signature type 0x04); unset: no witnesses, and the log serves its own checkpoints as before.
         */
        Optional<java.util.List<String>> witnesses();

        /** How many witnesses must cosign a checkpoint before /api/v1/log/checkpoint serves it; unset: a majority. */
        java.util.OptionalInt required();

        /** How long one submission to a witness may take. */
        @WithDefault("PT10S")
        java.time.Duration timeout();

        /** The least time between two rounds of submissions (the newest checkpoint is taken each round). */
        @WithDefault("PT0.25S")
        java.time.Duration minInterval();

        /** How often the database's newest checkpoint is looked up (checkpoints other instances signed). */
        @WithDefault("PT2S")
        java.time.Duration pollInterval();

        /** The longest a client may wait for a cosigned checkpoint (GET /api/v1/log/checkpoint/cosigned). */
        @WithDefault("PT30S")
        java.time.Duration maxWait();

        /**
         * At start, ask every witness for the checkpoint it holds of this log and refuse to start when the database
         * does not extend it.
         */
        @WithDefault("true")
        boolean startupCheck();
    }

    Jobs jobs();

    /** The background jobs' leader election (server.JobLeader): one instance runs them, through a database lock. */
    interface Jobs {
        /**
         * How often an instance checks the jobs' advisory lock (and the database's role): a waiting instance takes
         * over within about this long after the holder died.
         */
        @WithDefault("PT2S")
        java.time.Duration leaderCheckInterval();
    }

    /** The discrepancy detectors' settings (docs/discrepancies.md). */
    interface Discrepancy {
        /** How long after its expected arrival a dispatch may stay unreceived before it is flagged. */
        @WithDefault("PT24H")
        java.time.Duration overdueGrace();

        /** The expected transit time of a dispatch that names no expected arrival. */
        @WithDefault("P14D")
        java.time.Duration defaultTransit();

        /** Faster than this between two located events of one unit (sites with coordinates) is impossible travel. */
        @WithDefault("900")
        double maxTravelKmh();

        /** Two located events of one unit in different countries (a site without coordinates) closer than this. */
        @WithDefault("PT6H")
        java.time.Duration minCrossBorderTravel();

        /** A dispatch to a restricted party: block (refused, nothing written) or flag. */
        @WithDefault("block")
        String restrictedParty();

        /** A dispatch to a site in a country on the restricted list: block or flag. */
        @WithDefault("block")
        String restrictedCountry();

        /** A cross-border dispatch of a unit with an ECCN and no licence reference: block or flag. */
        @WithDefault("flag")
        String exportWithoutLicence();

        /**
         * How much earlier than a unit's previous event an entry's claimed time may be before it is flagged
         * ({@code time-backwards}): the clocks of different organisations differ a little.
         */
        @WithDefault("PT5M")
        java.time.Duration clockSkew();

        /**
         * How long after a unit left a first hop that needed no licence an onward dispatch to (or receipt in) a
         * destination that needs one, or is restricted, counts as transshipment.
         */
        @WithDefault("P90D")
        java.time.Duration transshipmentWindow();

        /** The score from which a party's name counts as matching a restricted-list row (0 to 1). */
        @WithDefault("0.85")
        double matchThreshold();

        /** A licence table file replacing the shipped default (docs/discrepancies.md, "Licences"). */
        java.util.Optional<String> licenceTable();

        /** How often the detectors' findings are signed into the log and overdue dispatches are checked. */
        @WithDefault("PT2S")
        java.time.Duration publishInterval();

        /**
         * Allow webhooks to plain http and to loopback, private and link-local addresses (development and tests; also
         * allowed in the demo). Off in production: a partner must not make the server call into its own network.
         */
        @WithDefault("false")
        boolean webhooksAllowPrivate();

        /** Whether findings are published in the background (tests turn it off and publish by hand). */
        @WithDefault("true")
        boolean publish();
    }

    interface Attestation {
        /** How long an attestation challenge stays valid after it is issued. */
        @WithDefault("PT10M")
        java.time.Duration challengeTtl();

        /**
         * What a stale CRL does to a device identity check: {@code flag} (pass, report and raise a crl-stale finding)
         * or {@code fail} (refuse the registration, fail the attestation).
         */
        @WithDefault("flag")
        String staleCrl();
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

        /**
         * How long a writer (API, UI, detectors, demo data, start-up) waits for its entry's commit before the answer
         * is {@code 503 commit-timeout} (the entry may still be written).
         */
        @WithDefault("PT60S")
        java.time.Duration commitWait();
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
