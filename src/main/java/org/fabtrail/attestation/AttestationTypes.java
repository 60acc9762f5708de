package org.fabtrail.attestation;

import org.fabtrail.custody.DeviceEnrolment;
import org.fabtrail.custody.EntryType;
import java.util.ArrayList;
import java.util.List;

/** The entry types of the attestation package, for assembling a ledger's {@link EntryTypes}. */
public final class AttestationTypes {

    private AttestationTypes() {
    }

    /** {@code unit.inspect}, {@code unit.certify}, {@code ca.add}, {@code ca.revoke} and {@code ca.crl}. */
    public static List<EntryType<?>> all(DeviceIdentity devices, PlatformCertificates platforms) {
        List<EntryType<?>> all = new ArrayList<>(List.of(new UnitInspect(devices, platforms),
                new UnitCertify(devices, platforms)));
        all.addAll(DeviceCas.types(devices));
        return List.copyOf(all);
    }

    /** The device identity part of {@code unit.register}: a device certificate checked against the device CAs. */
    public static DeviceEnrolment enrolment(DeviceIdentity devices) {
        return new DeviceCertification(devices);
    }
}
