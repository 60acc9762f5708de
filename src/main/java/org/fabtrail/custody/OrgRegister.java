package org.fabtrail.custody;

import org.fabtrail.ledger.BatchContext;
import org.fabtrail.ledger.Envelope;
import org.fabtrail.ledger.LedgerException;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code org.register}: the operator onboards an organisation.
 * Fields: {@code org} (id), {@code name}, {@code country} (ISO 3166-1 alpha-2, upper case), {@code roles}.
 */
final class OrgRegister extends AbstractEntryType<OrgRegistration> {

    static final String TYPE = "org.register";
    static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());
    private static final Set<String> FIELDS = Set.of("org", "name", "country", "roles");

    OrgRegister() {
        super(TYPE, OrgRegistration.class, FIELDS, Set.of());
    }

    @Override
    public PayloadSchema schema() {
        return fields().field("org", PayloadSchema.slug("the new organisation's id"))
                .field("name", PayloadSchema.string(200)).field("country", PayloadSchema.country())
                .field("roles", PayloadSchema.array(PayloadSchema.oneOf(Roles.ALL), Roles.ALL.size()));
    }

    @Override
    protected OrgRegistration read(Envelope e, Payload p) {
        String org = p.slug("org");
        if (Operator.ID.equals(org)) {
            throw Payload.invalid("reserved-id", "org", "\"operator\" is reserved for the log operator");
        }
        String name = p.string("name", 200);
        String country = p.string("country", 2);
        if (!COUNTRIES.contains(country)) {
            throw Payload.invalid("invalid-country", "country",
                    "payload.country must be an ISO 3166-1 alpha-2 code in upper case, such as DE or TW, not \""
                            + country + "\"");
        }
        List<String> roles = p.strings("roles", Roles.ALL.size());
        for (String r : roles) {
            if (!Roles.ALL.contains(r)) {
                throw Payload.invalid("invalid-role", "roles", "unknown role \"" + r + "\"; roles are "
                        + String.join(", ", Roles.ALL));
            }
        }
        return new OrgRegistration(org, name, country, roles);
    }

    @Override
    public void admit(Envelope e, OrgRegistration f) {
        if (!Operator.ID.equals(e.actor())) {
            throw LedgerException.rule("operator-only", "Only the operator may do this",
                    "org.register must be signed by the log operator (actor \"operator\")");
        }
    }

    @Override
    public void prefetch(Envelope e, OrgRegistration f, Wants wants) {
        wants.org(f.org());
    }

    @Override
    public void apply(Envelope e, OrgRegistration f, long index, Instant at, BatchContext ctx) throws SQLException {
        Registry r = Registry.of(ctx);
        if (r.org(f.org()).isPresent()) {
            throw LedgerException.conflict("org-exists", "Organisation exists",
                    "Organisation \"" + f.org() + "\" is already registered");
        }
        r.addOrg(new Registry.OrgRow(f.org(), f.name(), f.country(), f.roles()), index, at);
    }
}
