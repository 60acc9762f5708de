package org.fabtrail.custody;

import java.util.ArrayList;
import java.util.List;

/** The entry types of the custody package, for assembling a ledger's {@link EntryTypes}. */
public final class CustodyTypes {

    private CustodyTypes() {
    }

    /**
     * {@code org.register}, {@code key.add}, {@code key.revoke}, {@code site.register}, {@code unit.register},
     * {@code unit.assemble}, {@code unit.disassemble}, {@code unit.status} and the four {@code transfer.*} types.
     *
     * @param enrolment the device identity part of {@code unit.register} (org.fabtrail.attestation's)
     */
    public static List<EntryType<?>> all(DeviceEnrolment enrolment) {
        List<EntryType<?>> all = new ArrayList<>(List.of(new OrgRegister(), new KeyAdd(), new KeyRevoke(),
                new SiteRegister(), new UnitRegister(enrolment), new UnitAssemble(true), new UnitAssemble(false),
                new UnitStatus()));
        all.addAll(Transfers.types());
        return List.copyOf(all);
    }
}
