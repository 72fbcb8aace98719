package org.panacea.security.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.panacea.api.security.SharedSecrets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the installation's keys in the security database at start-up (making them on the first start of the first
 * node, or importing the key store file of an earlier version) and offers them as services: the keys to the
 * encryption component, the {@link SharedSecrets} to the other core bundles. When they cannot be opened (wrong
 * passphrase, altered rows, unreachable database) the platform must not run without its keys: one clear line is
 * logged and the framework is stopped. This happens here, outside any activation that could fail, so the log holds
 * that one line rather than a stack trace.
 */
@Component(immediate = true, configurationPid = "org.panacea.security")
@Designate(ocd = SecurityConfiguration.class)
public class KeyStoreUnlocker {

    private static final Logger LOG = LoggerFactory.getLogger(KeyStoreUnlocker.class);

    private final ServiceRegistration<KeyEncryptionKeys> registration;
    private final ServiceRegistration<SharedSecrets> secretsRegistration;
    /** The settings the keys were opened with, compared when the configuration changes. */
    private final List<Object> keySettings;

    @Activate
    public KeyStoreUnlocker(SecurityConfiguration config, BundleContext context,
            @Reference(target = "(osgi.jndi.service.name=panacea-security)") DataSource dataSource) {
        this(config, context, dataSource, KeyRingCipher.DEFAULT_ITERATIONS);
    }

    /** @param iterations PBKDF2 iterations of a ring made now (an existing ring states its own) */
    KeyStoreUnlocker(SecurityConfiguration config, BundleContext context, DataSource dataSource, int iterations) {
        this.keySettings = keySettings(config);
        String etc = System.getProperty("karaf.etc", "etc");
        Path store = Path.of(config.keystore_path().isEmpty() ? etc + "/panacea-keys.bcfks" : config.keystore_path());
        Path passphraseFile = Path.of(config.keystore_passphrase_file().isEmpty()
                ? etc + "/panacea-keystore.passphrase" : config.keystore_passphrase_file());
        ServiceRegistration<KeyEncryptionKeys> registered = null;
        ServiceRegistration<SharedSecrets> registeredSecrets = null;
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
                this.secretsRegistration = null;
                return;
            }
            LOG.info("Production mode: no demo password, passphrase from outside the disk, HTTPS on");
        }
        char[] passphrase = null;
        try {
            // A passphrase is never made up while keys exist anywhere: they could not be opened with it.
            boolean keysExist = Files.exists(store) || ringExists(dataSource);
            passphrase = KeyStorePassphrase.resolve(System.getenv(KeyStorePassphrase.ENVIRONMENT_VARIABLE),
                    configuredPassphrase, passphraseFile, keysExist);
            KeyEncryptionKeys keys = KeyEncryptionKeys.open(dataSource, passphrase, FipsProvider.get(), store,
                    iterations);
            registered = context.registerService(KeyEncryptionKeys.class, keys, null);
            registeredSecrets = context.registerService(SharedSecrets.class, new KeyRingSecrets(keys), null);
        } catch (KeyStoreUnavailableException e) {
            LOG.error("Panacea cannot start: {}", e.getMessage());
            stopPlatform(context);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
        this.registration = registered;
        this.secretsRegistration = registeredSecrets;
    }

    private static boolean ringExists(DataSource dataSource) throws KeyStoreUnavailableException {
        KeyRingRepository repository = new KeyRingRepository(dataSource);
        try {
            repository.createSchemaIfMissing();
            return repository.header().isPresent();
        } catch (SQLException e) {
            throw new KeyStoreUnavailableException("The security database cannot be read: " + e.getMessage(), e);
        }
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

    /**
     * A change of {@code etc/org.panacea.security.cfg}. Without this method Declarative Services would deactivate and
     * reactivate the component for any of the file's settings (a login throttle limit shared from another node, say),
     * taking the keys away from every service that encrypts until the key store is open again: a moment in which the
     * record answers 404. The keys stay as they were opened; a change of the key store's own settings is logged and
     * takes effect at the next start.
     */
    @Modified
    void configurationChanged(SecurityConfiguration config) {
        if (!keySettings(config).equals(keySettings)) {
            LOG.warn("The key store settings of etc/org.panacea.security.cfg changed; the keys stay as they were opened"
                    + " until the platform restarts");
        }
    }

    /** What the opening of the keys depends on; passphrases compared by their hash codes only, never kept. */
    private static List<Object> keySettings(SecurityConfiguration config) {
        return List.of(config.keystore_path(), config.keystore_passphrase_file(),
                config._keystore_passphrase().hashCode(), config.keystore_passphrase().hashCode(), config.production());
    }

    @Deactivate
    void lock() {
        if (secretsRegistration != null) {
            secretsRegistration.unregister();
        }
        if (registration != null) {
            registration.unregister();
        }
    }
}
