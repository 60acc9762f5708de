package org.fabtrail.server;

import org.fabtrail.ledger.checkpoint.NoteFormatException;
import org.fabtrail.ledger.checkpoint.NoteVerifier;
import org.fabtrail.ledger.checkpoint.WitnessPolicy;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The witnesses of {@code fabtrail.witnessing.witnesses} ({@code <name> <submission URL> <vkey>} each) and the policy
 * of {@code fabtrail.witnessing.required}, read and checked once at start.
 *
 * @param witnesses the configured witnesses, in configuration order
 * @param policy    the policy the served checkpoint must meet (the witnesses' keys and how many must cosign)
 */
public record WitnessSettings(List<Configured> witnesses, WitnessPolicy policy) {

    /**
     * One witness.
     *
     * @param name a label for logs and metrics (the operator's name for it)
     * @param url  its submission prefix ({@code /add-checkpoint} is appended)
     * @param key  its cosignature key
     */
    public record Configured(String name, URI url, NoteVerifier key) {
    }

    public static final WitnessSettings NONE = new WitnessSettings(List.of(), WitnessPolicy.NONE);

    /** @return whether any witness is configured */
    public boolean witnessed() {
        return !witnesses.isEmpty();
    }

    /**
     * @throws IllegalStateException naming the entry and what is wrong with it
     */
    public static WitnessSettings from(FabtrailConfig.Witnessing config) {
        List<String> entries = config.witnesses().orElse(List.of()).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        List<Configured> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String entry : entries) {
            String[] parts = entry.split("\\s+");
            if (parts.length != 3) {
                throw new IllegalStateException("fabtrail.witnessing.witnesses: each witness is \"<name> <URL> <vkey>\", "
                        + "not \"" + entry + "\"");
            }
            if (!names.add(parts[0])) {
                throw new IllegalStateException("fabtrail.witnessing.witnesses: the name " + parts[0] + " is used twice");
            }
            URI url;
            try {
                url = URI.create(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("fabtrail.witnessing.witnesses: " + parts[0] + ": not a URL: " + parts[1]);
            }
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new IllegalStateException("fabtrail.witnessing.witnesses: " + parts[0] + ": the URL must be http "
                        + "or https with a host: " + parts[1]);
            }
            NoteVerifier key;
            try {
                key = NoteVerifier.parse(parts[2]);
            } catch (NoteFormatException e) {
                throw new IllegalStateException("fabtrail.witnessing.witnesses: " + parts[0] + ": not a vkey ("
                        + e.getMessage() + ")");
            }
            if (!key.isCosigner()) {
                throw new IllegalStateException("fabtrail.witnessing.witnesses: " + parts[0] + ": " + parts[2]
                        + " is not a witness's cosignature key (signature type 0x04, as the witness prints it)");
            }
            out.add(new Configured(parts[0], url, key));
        }
        int required = config.required().orElse(out.size() / 2 + (out.isEmpty() ? 0 : 1));
        if (config.required().isPresent() && out.isEmpty() && required != 0) {
            throw new IllegalStateException("fabtrail.witnessing.required is " + required + " but no witness is configured");
        }
        try {
            return new WitnessSettings(List.copyOf(out), new WitnessPolicy(out.stream().map(Configured::key).toList(),
                    required));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("fabtrail.witnessing: " + e.getMessage());
        }
    }
}
