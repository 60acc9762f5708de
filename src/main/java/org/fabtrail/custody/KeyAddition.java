package org.fabtrail.custody;

/**
 * The payload of {@code key.add} as a writer gives it: the organisation and its public key in PEM. The entry type
 * reads it into its own record, with the key parsed.
 */
public record KeyAddition(String org, String publicKey) implements PayloadRecord {
}
