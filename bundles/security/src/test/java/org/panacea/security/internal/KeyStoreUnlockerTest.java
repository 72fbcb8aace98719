package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.panacea.api.security.SharedSecrets;

/**
 * The component a node starts with: given the security database and the passphrase, and nothing else, a second node
 * gets the first one's keys; a wrong passphrase stops the platform before anything is offered.
 */
class KeyStoreUnlockerTest {

    @TempDir
    Path dir;

    @AfterEach
    void shutDown() {
        KeyDatabases.shutDownDerby(dir);
    }

    private SecurityConfiguration config(Path etc, String passphrase) {
        SecurityConfiguration config = mock(SecurityConfiguration.class);
        when(config.keystore_path()).thenReturn(etc.resolve("panacea-keys.bcfks").toString());
        when(config.keystore_passphrase_file()).thenReturn(etc.resolve("panacea-keystore.passphrase").toString());
        when(config._keystore_passphrase()).thenReturn(passphrase);
        when(config.keystore_passphrase()).thenReturn("");
        return config;
    }

    @SuppressWarnings("unchecked")
    private static BundleContext context(Bundle system) {
        BundleContext context = mock(BundleContext.class);
        when(context.registerService(any(Class.class), (Object) any(), isNull()))
                .thenReturn(mock(ServiceRegistration.class));
        when(context.getBundle(0)).thenReturn(system);
        return context;
    }

    @SuppressWarnings("unchecked")
    private static <T> T registered(BundleContext context, Class<T> type) {
        ArgumentCaptor<T> service = ArgumentCaptor.forClass(type);
        verify(context).registerService(eq(type), service.capture(), isNull());
        return service.getValue();
    }

    @Test
    void aSecondNodeJoinsWithTheDatabaseAndThePassphraseAlone() throws Exception {
        DataSource database = KeyDatabases.derby(dir);
        String passphrase = "the passphrase every node is given";
        BundleContext first = context(mock(Bundle.class));
        new KeyStoreUnlocker(config(dir.resolve("node-1/etc"), passphrase), first, database,
                KeyDatabases.TEST_ITERATIONS);
        BundleContext second = context(mock(Bundle.class));
        new KeyStoreUnlocker(config(dir.resolve("node-2/etc"), passphrase), second, database,
                KeyDatabases.TEST_ITERATIONS);

        assertArrayEquals(registered(first, KeyEncryptionKeys.class).blindIndexKey().getEncoded(),
                registered(second, KeyEncryptionKeys.class).blindIndexKey().getEncoded());
        assertArrayEquals(registered(first, SharedSecrets.class).secret("audit.seal", 32, () -> null),
                registered(second, SharedSecrets.class).secret("audit.seal", 32, () -> null));
        assertFalse(Files.exists(dir.resolve("node-2/etc")), "the second node needed no file and wrote none");
    }

    @Test
    void aWrongPassphraseStopsThePlatformAndOffersNoKeys() throws Exception {
        DataSource database = KeyDatabases.derby(dir);
        new KeyStoreUnlocker(config(dir.resolve("node-1/etc"), "the passphrase every node is given"),
                context(mock(Bundle.class)), database,
                KeyDatabases.TEST_ITERATIONS);
        Bundle system = mock(Bundle.class);
        BundleContext wrong = context(system);
        new KeyStoreUnlocker(config(dir.resolve("node-2/etc"), "a passphrase from another hospital"), wrong, database,
                KeyDatabases.TEST_ITERATIONS);
        verify(system, timeout(5000)).stop();
        verify(wrong, never()).registerService(eq(KeyEncryptionKeys.class), (KeyEncryptionKeys) any(), any());
        verify(wrong, never()).registerService(eq(SharedSecrets.class), (SharedSecrets) any(), any());
    }

    @Test
    void noPassphraseIsMadeUpWhileTheDatabaseHoldsKeys() throws Exception {
        DataSource database = KeyDatabases.derby(dir);
        // The demo's first node: no passphrase anywhere, so it makes one in its file.
        new KeyStoreUnlocker(config(dir.resolve("node-1/etc"), ""), context(mock(Bundle.class)), database,
                KeyDatabases.TEST_ITERATIONS);
        assertFalse(Files.notExists(dir.resolve("node-1/etc/panacea-keystore.passphrase")));
        // A second node with no passphrase must not make another one (the keys could never be opened with it).
        Bundle system = mock(Bundle.class);
        BundleContext second = context(system);
        new KeyStoreUnlocker(config(dir.resolve("node-2/etc"), ""), second, database,
                KeyDatabases.TEST_ITERATIONS);
        verify(system, timeout(5000)).stop();
        assertFalse(Files.exists(dir.resolve("node-2/etc/panacea-keystore.passphrase")));
    }
}
