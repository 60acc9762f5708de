package org.fabtrail.server;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.fabtrail.attestation.DeviceIdentity;
import org.fabtrail.attestation.PlatformComparisons;
import org.fabtrail.attestation.StaleCrlPolicy;
import org.fabtrail.attestation.UnitPlatforms;
import org.fabtrail.attestation.Verdicts;
import org.fabtrail.custody.LogEntries;
import org.fabtrail.custody.Organisations;
import org.fabtrail.custody.TransferReads;
import org.fabtrail.custody.Units;
import org.fabtrail.discrepancy.Documents;
import org.fabtrail.discrepancy.Findings;
import org.fabtrail.epcis.EpcisDocuments;
import org.fabtrail.ledger.Ledger;
import org.fabtrail.ledger.LedgerStore;

/**
 * The read services of the domain packages (ADR 0024), produced here as {@link LedgerBeans} produces the write
 * side: the API's resources and the web's pages ask them, with the caller's visibility, and run no SQL themselves.
 */
@ApplicationScoped
public class ReadServices {

    @Produces
    @Singleton
    Units units(Ledger ledger, LedgerStore store) {
        return new Units(ledger, store);
    }

    @Produces
    @Singleton
    TransferReads transfers(Ledger ledger) {
        return new TransferReads(ledger);
    }

    @Produces
    @Singleton
    LogEntries logEntries(Ledger ledger, LedgerStore store) {
        return new LogEntries(ledger, store);
    }

    @Produces
    @Singleton
    EpcisDocuments epcisDocuments(Ledger ledger, LedgerStore store) {
        return new EpcisDocuments(ledger, store);
    }

    @Produces
    @Singleton
    Verdicts verdicts(Ledger ledger, DeviceIdentity devices, StaleCrlPolicy staleCrls) {
        return new Verdicts(ledger, devices, staleCrls);
    }

    @Produces
    @Singleton
    Organisations organisations(Ledger ledger) {
        return new Organisations(ledger);
    }

    @Produces
    @Singleton
    Findings findings(Ledger ledger, Documents documents) {
        return new Findings(ledger, documents);
    }

    @Produces
    @Singleton
    UnitPlatforms unitPlatforms(Ledger ledger, PlatformComparisons platforms) {
        return new UnitPlatforms(ledger, platforms);
    }
}
