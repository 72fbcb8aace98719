package org.panacea.api.plugin;

import java.util.List;
import java.util.Objects;

/**
 * Who a plugin is and what it does. The engine finds plugins by {@link #id()} and an optional version range; the
 * pages, the console and the audit trail show the rest.
 *
 * @param id          stable identifier, lower case, dot separated ({@code imaging.gaussian-blur}); never reused for
 *                    a different function
 * @param version     semantic version {@code major.minor.micro} of the algorithm or model (not of the bundle);
 *                    a change in results is at least a minor bump
 * @param name        short human name
 * @param vendor      who ships and supports it
 * @param description what it computes and with which conventions (border modes, units)
 * @param intendedUse what clinical use it is meant for, and its limits
 * @param parameters  the parameters (algorithms) or inputs (models) it takes
 */
public record PluginDescriptor(String id, String version, String name, String vendor, String description,
        String intendedUse, List<ParameterSpec> parameters) {

    public PluginDescriptor {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[a-z0-9]+([.-][a-z0-9]+)*")) {
            throw new IllegalArgumentException("plugin id '" + id + "' must be lower case words joined by '.' or '-'");
        }
        Objects.requireNonNull(version, "version");
        if (!version.matches("\\d+\\.\\d+\\.\\d+")) {
            throw new IllegalArgumentException("plugin version '" + version + "' is not major.minor.micro");
        }
        name = Objects.requireNonNullElse(name, id);
        vendor = Objects.requireNonNullElse(vendor, "");
        description = Objects.requireNonNullElse(description, "");
        intendedUse = Objects.requireNonNullElse(intendedUse, "");
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }
}
