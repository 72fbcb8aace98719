package org.panacea.api.security;

import java.util.Locale;
import java.util.Optional;

/**
 * The roles of Panacea's least-privilege policy. Each maps to a JAAS role of the same name in the Karaf realm.
 */
public enum Role {
    /** Runs the platform: bundles, plugins, keys, configuration. Reads no charts. */
    ADMIN,
    /** Reads and writes the charts of patients, runs algorithms and models on them. */
    CLINICIAN,
    /** Reads charts and records observations; does not prescribe or delete. */
    NURSE,
    /** Sees de-identified or aggregate data only. */
    RESEARCHER,
    /** Reads and verifies the audit trail; reads no charts. */
    AUDITOR;

    /** The JAAS role name, as written in {@code etc/users.properties}. */
    public String jaasName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role whose JAAS name is {@code jaasName}, ignoring case; empty for roles Panacea does not define. */
    public static Optional<Role> fromJaasName(String jaasName) {
        for (Role role : values()) {
            if (role.jaasName().equalsIgnoreCase(jaasName)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
