package org.panacea.security.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens (or, on first start, creates) the key store at start-up and offers the unlocked keys as a service to the
 * encryption component. When it cannot be opened (wrong passphrase, damaged file) the platform must not run without
 * its keys: one clear line is logged and the framework is stopped. This happens here, outside any activation that
 * could fail, so the log holds that one line rather than a stack trace.
 */
@Component(immediate = true, configurationPid = "org.panacea.security")
@Designate(ocd = SecurityConfiguration.class)
public class KeyStoreUnlocker {

    private static final Logger LOG = LoggerFactory.getLogger(KeyStoreUnlocker.class);

    private final ServiceRegistration<KeyEncryptionKeys> registration;

    @Activate
    public KeyStoreUnlocker(SecurityConfiguration config, BundleContext context) {
        String etc = System.getProperty("karaf.etc", "etc");
        Path store = Path.of(config.keystore_path().isEmpty() ? etc + "/panacea-keys.bcfks" : config.keystore_path());
        Path passphraseFile = Path.of(config.keystore_passphrase_file().isEmpty()
                ? etc + "/panacea-keystore.passphrase" : config.keystore_passphrase_file());
        ServiceRegistration<KeyEncryptionKeys> registered = null;
        String configuredPassphrase = config._keystore_passphrase();
        if (!config.keystore_passphrase().isEmpty()) {
            LOG.warn("keystore.passphrase in etc/org.panacea.security.cfg is published with the services of that "
                    + "configuration: rename it .keystore.passphrase (leading dot), or better, set {}",
                    KeyStorePassphrase.ENVIRONMENT_VARIABLE);
            configuredPassphrase = configuredPassphrase.isEmpty() ? config.keystore_passphrase() : configuredPassphrase;
        }
        if (config.production()) {
            boolean passphraseGiven = !System.getenv().getOrDefault(KeyStorePassphrase.ENVIRONMENT_VARIABLE, "")
                    .isEmpty();
            List<String> problems = ProductionReadiness.problems(KeyStoreUnlocker::realmAccepts, passphraseFile,
                    passphraseGiven, Path.of(etc, "org.ops4j.pax.web.cfg"));
            if (!problems.isEmpty()) {
                // before the key store is touched: in production no passphrase file is ever created
                problems.forEach(problem -> LOG.error("Panacea cannot start in production mode: {}", problem));
                stopPlatform(context);
                this.registration = null;
                return;
            }
            LOG.info("Production mode: no demo password, passphrase from outside the disk, HTTPS on");
        }
        try {
            char[] passphrase = KeyStorePassphrase.resolve(System.getenv(KeyStorePassphrase.ENVIRONMENT_VARIABLE),
                    configuredPassphrase, passphraseFile, Files.exists(store));
            KeyEncryptionKeys keys = KeyEncryptionKeys.openOrCreate(store, passphrase, FipsProvider.get());
            registered = context.registerService(KeyEncryptionKeys.class, keys, null);
        } catch (KeyStoreUnavailableException e) {
            LOG.error("Panacea cannot start: {}", e.getMessage());
            stopPlatform(context);
        }
        this.registration = registered;
    }

    /** Tries a login against the {@code karaf} realm; production mode's check for the demo passwords. */
    private static boolean realmAccepts(String user, String password) {
        javax.security.auth.Subject subject = new javax.security.auth.Subject();
        subject.getPrincipals().add(new org.apache.karaf.jaas.boot.principal.ClientPrincipal("production-check",
                "internal"));
        try {
            new javax.security.auth.login.LoginContext(JaasCallerAuthentication.REALM, subject, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof javax.security.auth.callback.NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof javax.security.auth.callback.PasswordCallback pass) {
                        pass.setPassword(password.toCharArray());
                    }
                }
            }).login();
            return true;
        } catch (javax.security.auth.login.LoginException | RuntimeException refused) {
            return false;
        }
    }

    private static void stopPlatform(BundleContext context) {
        Thread stopper = new Thread(() -> {
            try {
                context.getBundle(0).stop();
            } catch (BundleException | IllegalStateException stopFailed) {
                LOG.error("Stopping the platform failed: {}", stopFailed.getMessage());
            }
        }, "panacea-stop-on-key-failure");
        stopper.start();
    }

    @Deactivate
    void lock() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
