package org.fabtrail.custody;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entry types a ledger accepts, by name, in the order they were given. Assembled once by the composition root
 * (org.fabtrail.server.LedgerBeans) from the lists each package publishes; immutable and thread-safe.
 */
public final class EntryTypes {

    private final Map<String, EntryType<?>> byName = new LinkedHashMap<>();

    /** @throws IllegalArgumentException when two types have the same name */
    public EntryTypes(List<? extends EntryType<?>> types) {
        for (EntryType<?> t : types) {
            if (byName.putIfAbsent(t.name(), t) != null) {
                throw new IllegalArgumentException("two entry types are named " + t.name());
            }
        }
    }

    public Optional<EntryType<?>> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The type of that name, or null. */
    EntryType<?> get(String name) {
        return byName.get(name);
    }

    /** Every type's name, in order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }
}
