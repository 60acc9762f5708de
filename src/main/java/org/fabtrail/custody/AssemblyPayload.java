package org.fabtrail.custody;

import java.util.List;

/** The payload of {@code unit.assemble} and {@code unit.disassemble}. */
public record AssemblyPayload(UnitKey parent, List<UnitKey> components) implements PayloadRecord {
}
