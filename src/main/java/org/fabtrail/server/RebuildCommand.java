package org.fabtrail.server;

import org.fabtrail.attestation.X509DeviceIdentity;
import org.fabtrail.attestation.X509PlatformCertificates;
import org.fabtrail.custody.ProjectionRebuild;

import java.io.PrintStream;
import java.sql.Connection;

/**
 * {@code java -jar quarkus-run.jar rebuild [--check]}: drops every projection and replays the log into it, in one
 * transaction, then reports per table whether the result is identical to what was there.
 * Without {@code --check} the rebuilt projections are kept (how a restored backup or a new replica catches up);
 * with it, everything is rolled back and the command only compares.
 *
 * <p>Exit status: 0 identical; 1 different (with --check: nothing changed; without: the rebuilt state is kept);
 * 2 could not run.
 */
public final class RebuildCommand {

    private RebuildCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        boolean check = false;
        for (String a : args) {
            if ("--check".equals(a)) {
                check = true;
            } else {
                err.println("usage: rebuild [--check]");
                return 2;
            }
        }
        boolean onlyCheck = check;
        return OfflineDatabase.run(err, (url, user, password) -> {
            try (Connection c = OfflineDatabase.connect(url, user, password)) {
                c.setAutoCommit(false);
                long[] last = {System.nanoTime()};
                ProjectionRebuild.Result r = new ProjectionRebuild(LedgerBeans.assemble(new X509DeviceIdentity(),
                        new X509PlatformCertificates())).rebuild(c, n -> {
                    if (System.nanoTime() - last[0] > 5_000_000_000L) {
                        out.printf("... %d entries replayed%n", n);
                        last[0] = System.nanoTime();
                    }
                });
                for (String table : ProjectionRebuild.COMPARED) {
                    String before = r.before().get(table);
                    String after = r.after().get(table);
                    out.printf("%-32s %s%s%n", table, after, before.equals(after) ? "  (identical)" : "  DIFFERS, was " + before);
                }
                if (onlyCheck) {
                    c.rollback();
                } else {
                    c.commit();
                }
                out.printf("%d entries replayed; projections %s%s%n", r.entries(),
                        r.identical() ? "identical" : "differed in " + r.differing(),
                        onlyCheck ? " (check only, nothing changed)" : r.identical() ? "" : " (rebuilt state kept)");
                return r.identical() ? 0 : 1;
            }
        });
    }
}
