package org.panacea.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.Provider;
import java.util.HexFormat;
import java.util.stream.Stream;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AES-256-GCM known-answer vectors (the GCM specification's test cases 13-16, as used by NIST's CAVP) through the
 * BouncyCastle FIPS provider that Panacea encrypts with, and through the JDK's own provider as an independent check.
 */
class NistGcmKnownAnswerTest {

    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> vectors() {
        String key16 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
        return Stream.of(
                Arguments.of("case 13: empty", "00".repeat(32), "00".repeat(12), "", "", "",
                        "530f8afbc74536b9a963b4f1c4cb738b"),
                Arguments.of("case 14: one zero block", "00".repeat(32), "00".repeat(12), "00".repeat(16), "",
                        "cea7403d4d606b6e074ec5d3baf39d18", "d0d1c8a799996bf0265b98b5d48ab919"),
                Arguments.of("case 15: four blocks", key16, "cafebabefacedbaddecaf888",
                        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
                        "",
                        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad",
                        "b094dac5d93471bdec1a502270e3cc6c"),
                Arguments.of("case 16: with associated data", key16, "cafebabefacedbaddecaf888",
                        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
                        "feedfacedeadbeeffeedfacedeadbeefabaddad2",
                        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
                        "76fc6ece0f4e1768cddf8853bb2d551b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void bouncyCastleFipsMatchesTheVector(String name, String key, String iv, String plaintext, String aad,
            String ciphertext, String tag) throws Exception {
        check(FipsProvider.get(), key, iv, plaintext, aad, ciphertext, tag);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void jdkMatchesTheVector(String name, String key, String iv, String plaintext, String aad, String ciphertext,
            String tag) throws Exception {
        check(Cipher.getInstance("AES/GCM/NoPadding").getProvider(), key, iv, plaintext, aad, ciphertext, tag);
    }

    private static void check(Provider provider, String key, String iv, String plaintext, String aad,
            String ciphertext, String tag) throws Exception {
        SecretKeySpec secret = new SecretKeySpec(HEX.parseHex(key), "AES");
        Cipher encrypt = Cipher.getInstance("AES/GCM/NoPadding", provider);
        encrypt.init(Cipher.ENCRYPT_MODE, secret, new GCMParameterSpec(128, HEX.parseHex(iv)));
        encrypt.updateAAD(HEX.parseHex(aad));
        byte[] sealed = encrypt.doFinal(HEX.parseHex(plaintext));
        assertArrayEquals(HEX.parseHex(ciphertext + tag), sealed);

        Cipher decrypt = Cipher.getInstance("AES/GCM/NoPadding", provider);
        decrypt.init(Cipher.DECRYPT_MODE, secret, new GCMParameterSpec(128, HEX.parseHex(iv)));
        decrypt.updateAAD(HEX.parseHex(aad));
        assertArrayEquals(HEX.parseHex(plaintext), decrypt.doFinal(sealed));

        sealed[sealed.length - 1] ^= 1;
        Cipher tampered = Cipher.getInstance("AES/GCM/NoPadding", provider);
        tampered.init(Cipher.DECRYPT_MODE, secret, new GCMParameterSpec(128, HEX.parseHex(iv)));
        tampered.updateAAD(HEX.parseHex(aad));
        assertThrows(AEADBadTagException.class, () -> tampered.doFinal(sealed));
    }
}
