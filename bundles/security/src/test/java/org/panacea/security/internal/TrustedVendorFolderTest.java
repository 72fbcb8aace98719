package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.security.internal.TrustedVendorFolder.TrustedVendor;

/** Adding and removing vendors in a real folder, with certificates made by keytool. */
class TrustedVendorFolderTest {

    @TempDir
    static Path keys;

    @TempDir
    Path etc;

    private static TestVendorKeys vendors;
    private static Path acme;
    private static Path other;

    @BeforeAll
    static void makeKeys() throws Exception {
        vendors = new TestVendorKeys(keys);
        acme = vendors.vendor("acme", "CN=Acme Imaging Ltd,O=Acme Imaging Ltd");
        other = vendors.vendor("other", "CN=Other Models GmbH,O=Other Models GmbH");
    }

    private TrustedVendorFolder folder() {
        return new TrustedVendorFolder(etc.resolve("trusted-vendors"));
    }

    @Test
    void aTrustedCertificateIsWrittenAsPemUnderItsAliasAndReadByTheGate() {
        TrustedVendor vendor = folder().add(acme, "acme-imaging");
        assertEquals(etc.resolve("trusted-vendors/acme-imaging.pem"), vendor.file());
        assertEquals("CN=Acme Imaging Ltd,O=Acme Imaging Ltd", vendor.subject());
        assertTrue(vendor.fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), vendor.fingerprint());
        assertEquals(List.of("acme-imaging"), folder().vendors().stream().map(TrustedVendor::alias).toList());
        assertEquals(vendor.certificates(), TrustedVendorCertificates.load(etc.resolve("trusted-vendors")));
    }

    @Test
    void aDerCertificateIsTrustedToo() throws Exception {
        TrustedVendor vendor = folder().add(vendors.derCertificate("other"), "other");
        assertEquals("CN=Other Models GmbH,O=Other Models GmbH", vendor.subject());
        assertTrue(Files.readString(vendor.file()).startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void refusesATakenAliasTheSameCertificateTwiceAndMalformedAliases() {
        TrustedVendorFolder folder = folder();
        folder.add(acme, "acme");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> folder.add(other, "ACME")).getMessage()
                .contains("alias ACME is taken"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> folder.add(acme, "acme-again")).getMessage()
                .contains("trusted already, as acme"));
        for (String alias : new String[] { "", "../escape", "a b", ".hidden", "x".repeat(65) }) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> folder.add(other, alias)).getMessage()
                    .contains("alias"), alias);
        }
        assertEquals(1, folder.vendors().size());
    }

    @Test
    void refusesWhatIsNotACertificateOrNotValidNow() throws Exception {
        Path notACertificate = Files.writeString(etc.resolve("notes.pem"), "not a certificate");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> folder().add(notACertificate, "notes"))
                .getMessage().contains("not an X.509 certificate"));
        Path expired = vendors.vendor("expired", "CN=Expired Ltd", "-startdate", "-30d", "-validity", "10");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> folder().add(expired, "expired"))
                .getMessage().contains("not valid now"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> folder().add(etc.resolve("missing.pem"),
                "missing")).getMessage().contains("no file"));
        assertTrue(folder().vendors().isEmpty());
    }

    @Test
    void removingAVendorDeletesItsFileAndAnUnknownAliasNamesTheKnownOnes() {
        TrustedVendorFolder folder = folder();
        folder.add(acme, "acme");
        folder.add(other, "other");
        TrustedVendor removed = folder.remove("acme");
        assertFalse(Files.exists(removed.file()));
        assertEquals(List.of("other"), folder.vendors().stream().map(TrustedVendor::alias).toList());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> folder.remove("acme")).getMessage()
                .contains("trusted: [other]"));
    }
}
