package org.fabtrail.custody;

import org.fabtrail.ledger.Envelope;

import java.util.Set;

/**
 * What every entry type with a fixed set of payload fields shares: its name, its record's class, and the start of
 * {@link #read} (the payload must have every required field and no field but these and {@link Payload#COMMON}),
 * so a type writes only its own fields' reading, its schema's descriptions and its rules.
 *
 * @param <P> the payload record
 */
public abstract class AbstractEntryType<P> implements EntryType<P> {

    private final String name;
    private final Class<P> payloadType;
    private final Set<String> required;
    private final Set<String> optional;

    protected AbstractEntryType(String name, Class<P> payloadType, Set<String> required, Set<String> optional) {
        this.name = name;
        this.payloadType = payloadType;
        this.required = Set.copyOf(required);
        this.optional = Set.copyOf(optional);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Class<P> payloadType() {
        return payloadType;
    }

    /** Checks the payload's set of fields, then reads them with {@link #read(Envelope, Payload)}. */
    @Override
    public final P read(Envelope envelope) {
        return read(envelope, Payload.of(envelope, required, optional));
    }

    /** The record of a payload that has every required field and no unknown one; refuses a malformed field. */
    protected abstract P read(Envelope envelope, Payload payload);

    /** The schema of the required and optional fields, for {@link #schema()} to describe each. */
    protected final PayloadSchema fields() {
        return PayloadSchema.of(required, optional);
    }
}
