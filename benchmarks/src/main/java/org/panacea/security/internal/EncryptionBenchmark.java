package org.panacea.security.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.panacea.api.security.FieldBinding;

/**
 * AES-256-GCM encrypt + decrypt round trip through Panacea's {@link EnvelopeEncryption}, side by side with raw
 * BouncyCastle FIPS and the JDK's own provider on the same sizes, in the same run. Panacea's path adds the header,
 * the bound associated data and a fresh nonce from the FIPS DRBG per value; the raw paths only count up a nonce, so
 * they show the bare cipher cost that Panacea's overhead is measured against.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class EncryptionBenchmark {

    @Param({ "32", "256", "4096", "524288" })
    int size;

    private EnvelopeEncryption panacea;
    private Provider fips;
    private SecretKey key;
    private long counter;
    private Cipher fipsCipher;
    private Cipher jdkCipher;
    private byte[] plaintext;
    private final FieldBinding binding = new FieldBinding("Patient", "3f0c9a", "identity");

    /** A patient record's protected fields, one value each, at typical sizes. */
    private byte[][] recordFields;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("panacea-bench");
        System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
        fips = FipsProvider.get();
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(dir.resolve("db").toString());
        dataSource.setCreateDatabase("create");
        panacea = new EnvelopeEncryption(KeyEncryptionKeys.open(dataSource, "benchmark".toCharArray(), fips, null,
                1_000), dataSource, new NoAuditTrail(), fips);
        KeyGenerator generator = KeyGenerator.getInstance("AES", fips);
        generator.init(256);
        key = generator.generateKey();
        fipsCipher = Cipher.getInstance("AES/GCM/NoPadding", fips);
        jdkCipher = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        plaintext = new byte[size];
        new Random(42).nextBytes(plaintext);
        int[] fieldSizes = { 24, 16, 10, 64, 20, 12, 32, 40 }; // name, MRN, birth date, address, phone, gender, email, note
        recordFields = new byte[fieldSizes.length][];
        for (int i = 0; i < fieldSizes.length; i++) {
            recordFields[i] = new byte[fieldSizes[i]];
        }
    }

    @Benchmark
    public byte[] panaceaEnvelope() {
        return panacea.decrypt(binding, panacea.encrypt(binding, plaintext));
    }

    @Benchmark
    public byte[] rawBcFips() throws Exception {
        return roundTrip(fipsCipher);
    }

    @Benchmark
    public byte[] rawJdk() throws Exception {
        return roundTrip(jdkCipher);
    }

    private byte[] roundTrip(Cipher cipher) throws Exception {
        byte[] nonce = java.nio.ByteBuffer.allocate(12).putLong(4, ++counter).array();
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(plaintext);
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        return cipher.doFinal(sealed);
    }

    /** Encrypting a whole patient record's eight protected fields, one value per field (the size parameter is unused). */
    @Benchmark
    public int patientRecordFieldByField() {
        int total = 0;
        for (int i = 0; i < recordFields.length; i++) {
            total += panacea.encrypt(new FieldBinding("Patient", "3f0c9a", "f" + i), recordFields[i]).length;
        }
        return total;
    }
}
