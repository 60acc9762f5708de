package org.fabtrail.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.fabtrail.api.auth.Authenticator;
import org.fabtrail.api.auth.Caller;
import org.fabtrail.attestation.Attestations;
import org.fabtrail.attestation.Challenges;
import org.fabtrail.attestation.DeviceIdentity;
import org.fabtrail.attestation.Verdicts;
import org.fabtrail.crypto.JsonFormatException;
import org.fabtrail.crypto.StrictJson;
import org.fabtrail.custody.CustodyQueries;
import org.fabtrail.custody.Operator;
import org.fabtrail.custody.UnitKey;
import org.fabtrail.custody.Units;
import org.fabtrail.ledger.EnvelopeParser;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * On-site device attestation: an inspector (or a unit's custodian, for a self-check) asks for a challenge, the
 * device signs it, and the verify call says what the ledger makes of the answer, so the client can record the
 * inspection ({@code unit.inspect} with {@code attestation} and {@code verdict}) with the verdict the rules expect.
 */
@Path("/api/v1/attestations")
@Tag(name = "Attestation")
@Produces(MediaType.APPLICATION_JSON)
public class AttestationsResource {

    @Inject
    Authenticator auth;
    @Inject
    Units units;
    @Inject
    Verdicts verdicts;
    @Inject
    Challenges challenges;
    @Inject
    Clock clock;

    /** An issued challenge, as the API answers it. */
    @JsonPropertyOrder({"challengeId", "unit", "requester", "challenge", "message", "createdAt", "expiresAt"})
    public record ChallengeView(String challengeId, Views.UnitRef unit, String requester, String challenge,
                                String message, Instant createdAt, Instant expiresAt) {
        static ChallengeView from(Challenges.Challenge ch) {
            Base64.Encoder b64 = Base64.getEncoder();
            return new ChallengeView(ch.id().toString(), Views.UnitRef.from(ch.unit()), ch.requester(),
                    b64.encodeToString(ch.value()), b64.encodeToString(ch.message()), ch.createdAt(), ch.expiresAt());
        }
    }

    /** One check of a verdict. */
    @JsonPropertyOrder({"name", "status", "reasons"})
    public record CheckView(String name, String status, List<String> reasons) {
    }

    /** The presented device certificate. */
    @JsonPropertyOrder({"subject", "issuer", "serialNumber", "notBefore", "notAfter", "sha256Fingerprint", "keyAlgorithm"})
    public record CertificateView(String subject, String issuer, String serialNumber, Instant notBefore,
                                  Instant notAfter, String sha256Fingerprint, String keyAlgorithm) {
        static CertificateView from(DeviceIdentity.Description d) {
            return d == null ? null : new CertificateView(d.subject(), d.issuer(), d.serialNumber(), d.notBefore(),
                    d.notAfter(), d.sha256Fingerprint(), d.keyAlgorithm());
        }
    }

    /**
     * What the ledger finds: {@code result} and {@code reasons} are the verdict an inspection must carry; {@code flags}
     * (only when there are any) what the checks report without failing ({@code crl-stale} under the flag policy).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"result", "reasons", "flags", "checks", "challengedAt", "certificate"})
    public record VerdictView(String result, List<String> reasons,
                              @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> flags, List<CheckView> checks,
                              Instant challengedAt, CertificateView certificate) {
        static VerdictView from(Attestations.Outcome o) {
            return new VerdictView(o.verdict().result(), o.verdict().reasons(), o.flags(), o.checks().stream()
                    .map(c -> new CheckView(c.name(), c.status(), c.reasons())).toList(), o.challengedAt(),
                    CertificateView.from(o.presented()));
        }
    }

    @POST
    @Path("challenges")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createAttestationChallenge", summary = "A fresh challenge for a unit's device",
            description = "32 random bytes bound to the unit and the caller's organisation, single use, valid for "
                    + "FABTRAIL_ATTESTATION_CHALLENGE_TTL (10 minutes by default). For inspectors, regulators, the "
                    + "operator, and the unit's custodian. The device signs `message`.")
    @APIResponse(responseCode = "201", description = "The challenge",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ChallengeView.class)))
    public Response challenge(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        Caller caller = auth.caller(authorization).require(Caller.WRITE);
        Map<String, Object> req = object(body, Set.of("unit"), Set.of("unit"));
        UnitKey unit = unit(req.get("unit"));
        String requester = requester(caller);
        CustodyQueries.UnitRecord u = units.unit(caller.visibility(), unit)
                .orElseThrow(() -> UnitsResource.notFound(unit.manufacturer(), unit.serial()));
        if (!caller.seesAll() && !requester.equals(u.custodian())) {
            throw new LedgerException(LedgerException.Kind.FORBIDDEN, "challenge-not-allowed", "Not allowed",
                    "Challenges are issued to inspectors, regulators, the operator and the unit's custodian; \""
                            + requester + "\" does not hold " + unit);
        }
        try {
            return Response.status(201).entity(ChallengeView.from(challenges.issue(unit, requester))).build();
        } catch (SQLException e) {
            throw new LedgerException(LedgerException.Kind.UNAVAILABLE, "database-unavailable", "Database unavailable",
                    "Could not store the challenge; try again shortly", Map.of(), e);
        }
    }

    @POST
    @Path("verify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "verifyAttestation", summary = "The verdict on a device's answer, without recording anything",
            description = "The same checks the unit.inspect rule makes, as if the caller recorded the inspection now: "
                    + "put result and reasons into the entry's verdict.")
    public VerdictView verify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        Caller caller = auth.caller(authorization).require(Caller.READ);
        Map<String, Object> req = object(body, Set.of("unit", "attestation"), Set.of("unit", "attestation"));
        UnitKey unit = unit(req.get("unit"));
        String requester = requester(caller);
        if (!units.canSee(caller.visibility(), unit)) {
            throw UnitsResource.notFound(unit.manufacturer(), unit.serial());
        }
        return VerdictView.from(verdicts.verify(unit, requester, req.get("attestation"), clock.instant()));
    }

    /** The organisation the caller acts for, or {@code operator}. */
    static String requester(Caller caller) {
        return caller.isOperator() ? Operator.ID : caller.org();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(byte[] body, Set<String> required, Set<String> allowed) {
        Object parsed;
        try {
            parsed = StrictJson.parse(body == null ? new byte[0] : body);
        } catch (JsonFormatException e) {
            throw LedgerException.malformed("invalid-json", "The body is not strict JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            throw LedgerException.malformed("invalid-json", "The body must be a JSON object");
        }
        for (Object k : m.keySet()) {
            if (!allowed.contains(k)) {
                throw new LedgerException(LedgerException.Kind.RULE, "unknown-field", "Unknown field",
                        k + " is not a member of this request; its members are " + String.join(", ", allowed),
                        Map.of("field", String.valueOf(k)), null);
            }
        }
        for (String k : required) {
            if (!m.containsKey(k)) {
                throw new LedgerException(LedgerException.Kind.RULE, "missing-field", "Missing field",
                        k + " is required", Map.of("field", k), null);
            }
        }
        return (Map<String, Object>) m;
    }

    private static UnitKey unit(Object v) {
        if (v instanceof Map<?, ?> m && m.keySet().equals(Set.of("manufacturer", "serial"))
                && m.get("manufacturer") instanceof String man && EnvelopeParser.SLUG.matcher(man).matches()
                && m.get("serial") instanceof String serial && UnitKey.SERIAL.matcher(serial).matches()) {
            return new UnitKey(man, serial);
        }
        throw new LedgerException(LedgerException.Kind.RULE, "invalid-unit-ref", "Invalid unit reference",
                "unit must be a unit reference {\"manufacturer\": \"<org id>\", \"serial\": \"<serial>\"}",
                Map.of("field", "unit"), null);
    }
}
