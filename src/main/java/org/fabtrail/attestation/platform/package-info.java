/**
 * TCG Platform Certificates: parsing, signature verification, and comparison of the components a
 * certificate lists with the components custody says are installed.
 *
 * <p>A Platform Certificate is an RFC 5755 X.509 attribute certificate issued by a platform
 * manufacturer's CA. Its holder is the platform's TPM endorsement key (EK) certificate, named by
 * issuer and serial; its subjectAltName names the platform (manufacturer, model, version, serial);
 * its {@code tcg-at-platformConfiguration} attribute lists the components (class, manufacturer,
 * model, serial, revision...). The design's attestation model compares that list with custody.
 *
 * <ul>
 *   <li>{@link org.fabtrail.attestation.platform.PlatformCertificate#parse(byte[])}: strict parsing of
 *       DER or PEM into a {@link org.fabtrail.attestation.platform.PlatformCertificate};</li>
 *   <li>{@link org.fabtrail.attestation.platform.PlatformCertificateVerifier#verifySignature}: which
 *       trusted CA certificate verifies it, or why none does;</li>
 *   <li>{@link org.fabtrail.attestation.platform.ComponentComparator#compare}: the expected-versus-found
 *       table.</li>
 * </ul>
 *
 * <p>Everything here is a pure function of its arguments (no clock, no database, no framework). The
 * package imports only the JDK, Bouncy Castle ({@code bcprov}, {@code bcpkix}) and
 * {@code org.fabtrail.crypto}.
 */
package org.fabtrail.attestation.platform;
