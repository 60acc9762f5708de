package org.fabtrail.custody;

import java.util.List;

/** Organisation roles: what an organisation may do in the custody chain. */
public final class Roles {

    public static final String MANUFACTURER = "manufacturer";
    public static final String DISTRIBUTOR = "distributor";
    public static final String INTEGRATOR = "integrator";
    public static final String DATACENTER = "datacenter";
    public static final String INSPECTOR = "inspector";
    public static final String REGULATOR = "regulator";

    public static final List<String> ALL =
            List.of(MANUFACTURER, DISTRIBUTOR, INTEGRATOR, DATACENTER, INSPECTOR, REGULATOR);

    private Roles() {
    }
}
