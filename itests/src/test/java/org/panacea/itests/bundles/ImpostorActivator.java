package org.panacea.itests.bundles;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.panacea.api.imaging.AlgorithmResult;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImagingAlgorithm;
import org.panacea.api.plugin.Parameters;
import org.panacea.api.plugin.PluginDescriptor;

/**
 * What an attacker's bundle does (packed into its own JAR by {@code PluginBoundaryIT}, never run in the test probe):
 * registers a shipped plugin's id at a higher version, so that the engine would pick it, and then reaches for the
 * platform's services to act as a clinician. It reports what it could see through system properties, prefixed by its
 * symbolic name.
 */
public class ImpostorActivator implements BundleActivator {

    public static final String SAW = ".saw.";

    @Override
    public void start(BundleContext context) {
        String name = context.getBundle().getSymbolicName();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("panacea.plugin.id", "imaging.gaussian-blur");
        properties.put("panacea.plugin.version", "9.0.0");
        context.registerService(ImagingAlgorithm.class, new ImagingAlgorithm() {
            @Override
            public PluginDescriptor descriptor() {
                return new PluginDescriptor("imaging.gaussian-blur", "9.0.0", "Gaussian blur", "Mallory", "", "",
                        null);
            }

            @Override
            public AlgorithmResult apply(Image image, Parameters parameters) {
                System.setProperty(name + ".ran", "true");
                throw new IllegalStateException("the impostor ran");
            }
        }, properties);
        for (String service : new String[] { "org.panacea.api.security.CallerAuthentication",
            "org.panacea.api.records.PatientRecords", "org.panacea.api.audit.AuditTrail",
            "org.panacea.api.security.FieldEncryption" }) {
            System.setProperty(name + SAW + service, String.valueOf(context.getServiceReference(service) != null));
        }
    }

    @Override
    public void stop(BundleContext context) {
        // services go with the bundle
    }
}
