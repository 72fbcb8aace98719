package org.panacea.security.internal;

import java.io.File;
import java.security.Provider;
import java.security.Security;

import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.NativeServices;
import org.bouncycastle.crypto.fips.FipsStatus;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the BouncyCastle FIPS provider and says which implementation is active. In the distribution the provider is
 * on the boot classpath and registered by Karaf ({@code org.apache.karaf.security.providers}), which is the set-up
 * under which its module self-test is meaningful; in unit tests it is constructed here.
 */
public final class FipsProvider {

    private static final Logger LOG = LoggerFactory.getLogger(FipsProvider.class);

    /** The JCA name of the BouncyCastle FIPS provider. */
    public static final String NAME = "BCFIPS";

    private FipsProvider() {
    }

    /** The registered BCFIPS provider, or a new one when none is registered. */
    public static Provider get() {
        Provider registered = Security.getProvider(NAME);
        return registered != null ? registered : new BouncyCastleFipsProvider();
    }

    /**
     * Logs the provider's status and whether native AES is in use. BouncyCastle unpacks its native code into
     * {@code java.io.tmpdir} and silently falls back to pure Java (30-50x slower) when it cannot: say so loudly.
     */
    public static String describe(Provider provider) {
        String tmp = System.getProperty("java.io.tmpdir");
        File tmpDir = new File(tmp);
        if (!tmpDir.isDirectory() || !tmpDir.canWrite()) {
            LOG.warn("java.io.tmpdir {} is missing or not writable: BouncyCastle FIPS cannot load its native AES "
                    + "and falls back to pure Java", tmp);
        }
        NativeServices nativeServices = CryptoServicesRegistrar.getNativeServices();
        boolean nativeAes = nativeServices.isEnabled() && nativeServices.hasService(NativeServices.AES_GCM);
        String description = provider.getName() + " " + provider.getVersionStr() + ", FIPS module "
                + (FipsStatus.isReady() ? "ready" : "NOT READY") + ", AES-GCM "
                + (nativeAes ? "native (" + nativeServices.getVariant() + ")" : "pure Java")
                + (Security.getProvider(NAME) == provider ? ", boot classpath" : ", bundle-local");
        if (nativeAes) {
            LOG.info("Encryption provider: {}", description);
        } else {
            LOG.warn("Encryption provider: {} - native AES is not active, encryption is much slower", description);
        }
        return description;
    }
}
