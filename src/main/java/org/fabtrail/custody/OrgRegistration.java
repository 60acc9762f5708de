package org.fabtrail.custody;

import java.util.List;

/** The payload of {@code org.register}: the new organisation's id, name, country and roles. */
public record OrgRegistration(String org, String name, String country, List<String> roles) implements PayloadRecord {
}
