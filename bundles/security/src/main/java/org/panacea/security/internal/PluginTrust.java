package org.panacea.security.internal;

import java.util.List;

import org.osgi.framework.Bundle;
import org.panacea.api.security.SignatureVerdict;

/**
 * The trust the signed-plugin gate acts on, for the console's {@code plugin:} commands: the folder of trusted vendor
 * certificates, a re-reading of it that applies at once to installed plugins, and the verdict on each plugin.
 */
public interface PluginTrust {

    /** The trusted vendor certificates. */
    TrustedVendorFolder vendors();

    /**
     * Re-reads the trusted certificates and judges every installed plugin again, as at install: a plugin no longer
     * signed by a trusted vendor is refused (logged, audited) and uninstalled, unless development mode allows
     * unsigned plugins.
     *
     * @return the plugins refused now, as {@code symbolic-name version}
     */
    List<String> reload();

    /**
     * {@code true} when the bundle is a plugin: it carries the {@code Panacea-Plugin} header or has registered an
     * imaging algorithm or prediction model service (header or not, such a bundle is judged as a plugin).
     */
    boolean isPlugin(Bundle bundle);

    /** The verdict on an installed plugin bundle under the current trust (cached per bundle revision). */
    SignatureVerdict verdict(Bundle bundle);
}
