package org.fabtrail.testing;

import org.fabtrail.witness.WitnessStore;

import java.io.IOException;
import java.util.Map;

/**
 * A witness store that hands every call to another: a test overrides what its disk should do differently (hang,
 * fail) and keeps the rest.
 */
public abstract class ForwardingWitnessStore implements WitnessStore {

    protected final WitnessStore inner;

    protected ForwardingWitnessStore(WitnessStore inner) {
        this.inner = inner;
    }

    @Override
    public Map<String, String> load() throws IOException {
        return inner.load();
    }

    @Override
    public void save(String origin, String note) throws IOException {
        inner.save(origin, note);
    }

    @Override
    public String keepEvidence(String kind, String text) throws IOException {
        return inner.keepEvidence(kind, text);
    }
}
