package org.fabtrail.attestation;

import org.fabtrail.custody.UnitKey;
import org.fabtrail.ledger.Ledger;

import java.time.Instant;

/**
 * The read service of attestation verdicts (ADR 0024): what the {@code unit.inspect} rule would make of a device's
 * answer if the requester recorded the inspection now ({@link Attestations#verify}), without recording anything.
 * Asked only about a unit the read services of custody have already shown the caller.
 */
public final class Verdicts {

    private final Ledger ledger;
    private final DeviceIdentity devices;
    private final StaleCrlPolicy staleCrls;

    public Verdicts(Ledger ledger, DeviceIdentity devices, StaleCrlPolicy staleCrls) {
        this.ledger = ledger;
        this.devices = devices;
        this.staleCrls = staleCrls;
    }

    public Attestations.Outcome verify(UnitKey unit, String requester, Object attestation, Instant now) {
        return ledger.read(c -> Attestations.verify(c, devices, unit, requester, attestation, now, staleCrls));
    }
}
