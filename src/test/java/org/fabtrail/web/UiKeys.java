package org.fabtrail.web;

import org.fabtrail.web.signing.UiSigning;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The first entry an organisation makes in the UI first registers its UI signing key (an operator key.add). Tests
 * that check "nothing was written" create the keys up front, so that the log only grows by what the form wrote.
 */
final class UiKeys {

    static final List<String> ORGS = List.of("acme-fab", "northwind", "helios-dc", "kestrel-dc", "bis-inspect",
            "eu-regulator");

    private UiKeys() {
    }

    static void ensure(UiSigning signing) {
        for (String org : ORGS) {
            signing.sign(new Viewer(UUID.randomUUID(), "test", "Test", org, "member", false, List.of(), "-"),
                    "site.register", Map.of());
        }
    }
}
