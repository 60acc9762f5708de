package org.fabtrail.server;

import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.fabtrail.attestation.AttestationTypes;
import org.fabtrail.attestation.Challenges;
import org.fabtrail.attestation.DeviceIdentity;
import org.fabtrail.attestation.PlatformCertificates;
import org.fabtrail.attestation.PlatformComparisons;
import org.fabtrail.attestation.StaleCrlPolicy;
import org.fabtrail.attestation.X509DeviceIdentity;
import org.fabtrail.attestation.X509PlatformCertificates;
import org.fabtrail.crypto.Sealer;
import org.fabtrail.crypto.SigningKey;
import org.fabtrail.custody.CustodyPolicy;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.CustodyTypes;
import org.fabtrail.custody.EntryType;
import org.fabtrail.custody.EntryTypes;
import org.fabtrail.custody.KeyRegistry;
import org.fabtrail.custody.OperatorEntries;
import org.fabtrail.discrepancy.Discrepancies;
import org.fabtrail.discrepancy.DiscrepancyEngine;
import org.fabtrail.discrepancy.DiscrepancySettings;
import org.fabtrail.discrepancy.Documents;
import org.fabtrail.discrepancy.LicenceTable;
import org.fabtrail.discrepancy.RestrictedList;
import org.fabtrail.discrepancy.Webhooks;
import org.fabtrail.epcis.EpcisCapture;
import org.fabtrail.ledger.CheckpointSigner;
import org.fabtrail.ledger.CosignedCheckpoints;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerException;
import org.fabtrail.ledger.LedgerStore;
import org.fabtrail.ledger.Sequencer;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The composition root: the ledger and custody classes are plain Java (so tests can build two sequencers on one
 * database); this class wires one set of them into CDI from configuration.
 */
@ApplicationScoped
public class LedgerBeans {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    SigningKey operatorKey(FabtrailConfig config) {
        boolean mayGenerate = config.generateOperatorKey() || config.demo() || LaunchMode.current() != LaunchMode.NORMAL;
        return OperatorKeys.load(config.operatorKey(), mayGenerate, Path.of(config.dataDir()));
    }

    @Produces
    @Singleton
    CheckpointSigner checkpointSigner(FabtrailConfig config, SigningKey operatorKey) {
        return new CheckpointSigner(config.logOrigin(), operatorKey);
    }

    @Produces
    @Singleton
    EnvelopeParser envelopeParser(FabtrailConfig config) {
        return new EnvelopeParser(config.ledger().maxEntryBytes());
    }

    @Produces
    @Singleton
    LedgerStore ledgerStore() {
        return new LedgerStore();
    }

    @Produces
    @Singleton
    KeyRegistry keyRegistry(DataSource dataSource) {
        return new KeyRegistry(dataSource);
    }

    @Produces
    @Singleton
    DeviceIdentity deviceIdentity() {
        return new X509DeviceIdentity();
    }

    @Produces
    @Singleton
    PlatformCertificates platformCertificates() {
        return new X509PlatformCertificates();
    }

    @Produces
    @Singleton
    PlatformComparisons platformComparisons(PlatformCertificates platforms) {
        return new PlatformComparisons(platforms);
    }

    @Produces
    @Singleton
    Challenges challenges(DataSource dataSource, Clock clock, FabtrailConfig config) {
        return new Challenges(dataSource, clock, config.attestation().challengeTtl());
    }

    @Produces
    @Singleton
    EntryTypes entryTypes(DeviceIdentity devices, PlatformCertificates platforms, StaleCrlPolicy staleCrls) {
        return assemble(devices, platforms, staleCrls);
    }

    @Produces
    @Singleton
    StaleCrlPolicy staleCrlPolicy(FabtrailConfig config) {
        return StaleCrlPolicy.parse(config.attestation().staleCrl(), "fabtrail.attestation.stale-crl");
    }

    /**
     * Every entry type this version accepts: custody's, attestation's and discrepancy's, each package publishing its
     * own list (docs/adr/0010-entry-types-as-plug-ins.md). Also for the offline commands and tests, which run without
     * CDI.
     */
    public static EntryTypes assemble(DeviceIdentity devices, PlatformCertificates platforms) {
        return assemble(devices, platforms, StaleCrlPolicy.FLAG);
    }

    /** As above, with a stale CRL judged by {@code staleCrls} (fabtrail.attestation.stale-crl). */
    public static EntryTypes assemble(DeviceIdentity devices, PlatformCertificates platforms,
                                      StaleCrlPolicy staleCrls) {
        List<EntryType<?>> all = new ArrayList<>(CustodyTypes.all(AttestationTypes.enrolment(devices, staleCrls)));
        all.addAll(AttestationTypes.all(devices, platforms, staleCrls));
        all.addAll(Discrepancies.all());
        all.add(new EpcisCapture(List.copyOf(all))); // EPCIS events applied as the types above
        return new EntryTypes(all);
    }

    @Produces
    @Singleton
    CustodyPolicy custodyPolicy(KeyRegistry keys, SigningKey operatorKey, Clock clock, EntryTypes types,
                                DiscrepancyEngine discrepancies, RestrictedList restricted) {
        CustodyPolicy policy = new CustodyPolicy(keys, operatorKey.keyId(), clock, types);
        policy.observe(discrepancies);
        policy.screening(restricted);
        return policy;
    }

    @Produces
    @Singleton
    DiscrepancySettings discrepancySettings(FabtrailConfig config) {
        FabtrailConfig.Discrepancy d = config.discrepancy();
        return new DiscrepancySettings(d.overdueGrace(), d.defaultTransit(), d.maxTravelKmh(), d.minCrossBorderTravel(),
                DiscrepancySettings.Action.parse(d.restrictedParty(), "fabtrail.discrepancy.restricted-party"),
                DiscrepancySettings.Action.parse(d.restrictedCountry(), "fabtrail.discrepancy.restricted-country"),
                DiscrepancySettings.Action.parse(d.exportWithoutLicence(),
                        "fabtrail.discrepancy.export-without-licence"), d.clockSkew(), d.transshipmentWindow(),
                d.matchThreshold(), d.licenceTable().map(f -> LicenceTable.read(Path.of(f)))
                        .orElse(LicenceTable.DEFAULT));
    }

    @Produces
    @Singleton
    RestrictedList restrictedList(DataSource dataSource, Clock clock, DiscrepancySettings settings) {
        return new RestrictedList(dataSource, clock, settings);
    }

    @Produces
    @Singleton
    Sealer sealer(FabtrailConfig config) {
        return new Sealer(() -> MasterKeys.load(config), () -> new LedgerException(LedgerException.Kind.UNAVAILABLE,
                "ui-signing-unavailable", "UI signing not configured", "This instance has no master key "
                + "(FABTRAIL_MASTER_KEY), so the web UI cannot sign entries; use the API with your own key"));
    }

    @Produces
    @Singleton
    Webhooks webhooks(DataSource dataSource, Clock clock, FabtrailConfig config) {
        // webhook secrets have their own key (generated when need be), so webhooks work without a master key
        Sealer sealer = new Sealer(() -> Optional.of(MasterKeys.webhookKey(config)), IllegalStateException::new);
        return new Webhooks(dataSource, clock, sealer,
                config.discrepancy().webhooksAllowPrivate() || config.demo(), new CustodyQueries()::inFeed,
                LedgerBeans::appliedTypes);
    }

    /** The custody entry types an EPCIS capture's events applied, from its logged envelope (custody webhooks). */
    @SuppressWarnings("unchecked")
    static List<String> appliedTypes(String entryType, Map<String, Object> envelope) {
        if (!EpcisCapture.TYPE.equals(entryType)) {
            return List.of();
        }
        Map<String, Object> payload = (Map<String, Object>) envelope.get("payload");
        return EpcisCapture.subEntries(UUID.fromString((String) payload.get("id")), (String) payload.get("actor"),
                payload).stream().map(EpcisCapture.SubEntry::type).toList();
    }

    @Produces
    @Singleton
    Documents discrepancyDocuments(DataSource dataSource, Clock clock) {
        return new Documents(dataSource, clock);
    }

    @Produces
    @Singleton
    DiscrepancyEngine discrepancyEngine(DataSource dataSource, Clock clock, DiscrepancySettings settings,
                                        RestrictedList restricted) {
        return new DiscrepancyEngine(dataSource, clock, settings, restricted);
    }

    @Produces
    @Singleton
    CheckpointFile checkpointFile(FabtrailConfig config) {
        return new CheckpointFile(Path.of(config.dataDir()));
    }

    @Produces
    @Singleton
    WitnessSettings witnessSettings(FabtrailConfig config) {
        return WitnessSettings.from(config.witnessing());
    }

    @Produces
    @Singleton
    CosignedCheckpoints cosignedCheckpoints(WitnessSettings witnesses) {
        return new CosignedCheckpoints(witnesses.policy());
    }

    @Produces
    @Singleton
    CosignatureCollector cosignatureCollector(DataSource dataSource, CosignedCheckpoints cosigned,
                                              WitnessSettings witnesses, FabtrailConfig config, Clock clock) {
        FabtrailConfig.Witnessing w = config.witnessing();
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(w.timeout())
                .followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();
        return new CosignatureCollector(dataSource, cosigned, witnesses,
                new CosignatureCollector.Settings(w.timeout(), w.minInterval(), w.pollInterval()), clock, http);
    }

    void closeCollector(@Disposes CosignatureCollector collector) {
        collector.close();
    }

    /**
     * The sequencer hands each committed checkpoint to the rollback-protection file (durably, before any answer) and
     * then to the witness collector (which only notes it: witnesses never hold up a write).
     */
    @Produces
    @Singleton
    Sequencer sequencer(DataSource dataSource, LedgerStore store, CheckpointSigner signer, CustodyPolicy policy,
                        FabtrailConfig config, Clock clock, CheckpointFile checkpointFile,
                        CosignatureCollector witnesses) {
        return new Sequencer(dataSource, store, signer, policy,
                new Sequencer.Settings(config.ledger().maxBatch(), config.ledger().queueCapacity()), clock,
                (size, note) -> {
                    checkpointFile.keep(size, note);
                    witnesses.offer(size, note);
                });
    }

    /**
     * The background jobs' leader election, on a connection of its own to the datasource's database (the pool's
     * connections come and go; the lock lives as long as its session). An instance that does not publish
     * ({@code fabtrail.discrepancy.publish=false}) only watches the database's role and never takes the lock.
     */
    @Produces
    @Singleton
    JobLeader jobLeader(FabtrailConfig config) {
        org.eclipse.microprofile.config.Config c = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        String url = c.getValue("quarkus.datasource.jdbc.url", String.class);
        java.util.Properties props = new java.util.Properties();
        c.getOptionalValue("quarkus.datasource.username", String.class).ifPresent(u -> props.setProperty("user", u));
        c.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(p -> props.setProperty("password", p));
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "30");
        props.setProperty("tcpKeepAlive", "true");
        props.setProperty("ApplicationName", "fabtrail-job-leader");
        org.postgresql.Driver driver = new org.postgresql.Driver();
        return new JobLeader(() -> {
            java.sql.Connection connection = driver.connect(url, props);
            if (connection == null) {
                throw new java.sql.SQLException("not a PostgreSQL JDBC URL: " + url);
            }
            return connection;
        }, config.jobs().leaderCheckInterval(), config.discrepancy().publish());
    }

    void closeJobLeader(@Disposes JobLeader leader) {
        leader.close();
    }

    void closeSequencer(@Disposes Sequencer sequencer) {
        sequencer.close();
    }

    @Produces
    @Singleton
    Ledger ledger(DataSource dataSource, LedgerStore store, CustodyPolicy policy, Sequencer sequencer,
            FabtrailConfig config) {
        return new Ledger(dataSource, store, policy, sequencer, config.ledger().commitWait());
    }

    @Produces
    @Singleton
    OperatorEntries operatorEntries(SigningKey operatorKey, EnvelopeParser parser, Clock clock) {
        return new OperatorEntries(operatorKey, parser, clock);
    }
}
