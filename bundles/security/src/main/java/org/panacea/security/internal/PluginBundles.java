package org.panacea.security.internal;

import org.osgi.framework.Bundle;

/** How plugin bundles are described to administrators, the same in the console and over HTTP. */
public final class PluginBundles {

    private PluginBundles() {
    }

    /** A manifest header of the bundle, empty when it has none. */
    public static String header(Bundle bundle, String name) {
        String value = bundle.getHeaders("").get(name);
        return value == null ? "" : value;
    }

    /** The bundle state's name as Karaf's console writes it: {@code Active}, {@code Resolved}, ... */
    public static String state(int state) {
        switch (state) {
            case Bundle.ACTIVE:
                return "Active";
            case Bundle.RESOLVED:
                return "Resolved";
            case Bundle.INSTALLED:
                return "Installed";
            case Bundle.STARTING:
                return "Starting";
            case Bundle.STOPPING:
                return "Stopping";
            case Bundle.UNINSTALLED:
                return "Uninstalled";
            default:
                return "Unknown";
        }
    }
}
