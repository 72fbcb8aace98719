package org.panacea.dicom.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.panacea.api.imaging.Image;
import org.panacea.api.imaging.ImageMetadata;
import org.panacea.api.imaging.Pixels;

/**
 * Every kind of derived instance Panacea writes, checked by readers no one here wrote: dicom3tools' {@code dciodvfy}
 * (Debian {@code dicom3tools}) validates it against the IOD and must report no error; dcmtk's {@code dcmdump} must
 * parse it whole and show the references to the source. Under CI ({@code CI=true}) a missing tool fails the test;
 * elsewhere the test is skipped with a message.
 */
class IndependentReadersTest {

    @TempDir
    Path dir;

    /** One output of each kind from sources with and without a frame of reference, single- and multi-frame. */
    private List<DerivedInstances.Written> everyKind() {
        List<DerivedInstances.Written> written = new ArrayList<>();
        for (String name : new String[] { "CT_small.dcm", "MR_small.dcm", "image_dfl.dcm", "rtdose.dcm" }) {
            SourceImage source = DerivedSamples.source(name, 0);
            written.add(DerivedInstances.write(source, DerivedSamples.mask(source, 700),
                    DerivedSamples.derivation("imaging.otsu-threshold", "Otsu threshold"), DerivedSamples.EQUIPMENT,
                    DerivedSamples.CREATED));
            written.add(DerivedInstances.write(source, DerivedSamples.real(source),
                    DerivedSamples.derivation("imaging.gaussian-blur", "Gaussian blur"), DerivedSamples.EQUIPMENT,
                    DerivedSamples.CREATED));
            written.add(DerivedInstances.write(source, DerivedSamples.real(source), DerivedSamples.hostile(),
                    DerivedSamples.EQUIPMENT, DerivedSamples.CREATED));
            Image frame = source.instance().frame(0);
            short[] words = new short[frame.pixels().length()];
            for (int i = 0; i < words.length; i++) {
                words[i] = (short) (frame.pixels().sample(i) / 2 - 100);
            }
            written.add(DerivedInstances.write(source, new Image(frame.width(), frame.height(),
                    new Pixels.Gray16(words, true), ImageMetadata.unknown(16)),
                    DerivedSamples.derivation("imaging.median", "Median"), DerivedSamples.EQUIPMENT,
                    DerivedSamples.CREATED));
        }
        return written;
    }

    @Test
    void dciodvfyFindsNoErrorInAnyDerivedInstance() throws Exception {
        requireTool("dciodvfy");
        for (DerivedInstances.Written one : everyKind()) {
            Path file = dir.resolve(one.sopInstanceUid() + ".dcm");
            Files.write(file, one.part10());
            String report = run("dciodvfy", file.toString());
            List<String> errors = report.lines().filter(line -> line.startsWith("Error")).toList();
            assertTrue(errors.isEmpty(), one.kind() + ": " + errors + "\n" + report);
            assertTrue(report.contains(one.kind() == DerivedInstances.Kind.SEGMENTATION ? "Segmentation"
                    : "ParametricMap"), "dciodvfy checked it as the right IOD:\n" + report);
        }
    }

    @Test
    void dcmdumpReadsASegmentationThatReferencesItsSource() throws Exception {
        requireTool("dcmdump");
        SourceImage source = DerivedSamples.source("CT_small.dcm", 0);
        DerivedInstances.Written seg = DerivedInstances.write(source, DerivedSamples.mask(source, 1100),
                DerivedSamples.derivation("imaging.otsu-threshold", "Otsu threshold"), DerivedSamples.EQUIPMENT,
                DerivedSamples.CREATED);
        Path file = dir.resolve("seg.dcm");
        Files.write(file, seg.part10());
        String dump = run("dcmdump", "-M", "+L", file.toString());
        String sourceUid = source.instance().instance().sopInstanceUid();
        assertTrue(dump.contains("=SegmentationStorage"), dump);
        assertTrue(dump.contains("(0062,0001) CS [BINARY]"), dump);
        assertTrue(dump.contains("(0062,0009) LO [imaging.otsu-threshold 1.1.0]"), "algorithm named:\n" + dump);
        assertEquals(2, count(dump, "(0008,1155) UI [" + sourceUid + "]"),
                "referenced in the Referenced Series and Source Image sequences:\n" + dump);
        assertTrue(dump.contains("(0020,000d) UI [" + source.instance().study().instanceUid() + "]"), dump);
        assertTrue(dump.contains("(0008,0100) SH [121322]"), "purpose of reference:\n" + dump);
        assertTrue(dump.contains("Plugin SHA-256: 3f786850"), "the plugin's digest in Image Comments:\n" + dump);
        assertTrue(dump.contains("(7fe0,0010) OB"), dump);

        // From frame 4 of a multi-frame dose grid: the Source Image names the frame (PS3.3 C.7.6.16.2.6).
        SourceImage dose = DerivedSamples.source("rtdose.dcm", 3);
        Path map = dir.resolve("map.dcm");
        Files.write(map, DerivedInstances.write(dose, DerivedSamples.real(dose),
                DerivedSamples.derivation("imaging.gaussian-blur", "Gaussian blur"), DerivedSamples.EQUIPMENT,
                DerivedSamples.CREATED).part10());
        String mapDump = run("dcmdump", "-M", "+L", map.toString());
        assertTrue(mapDump.contains("=ParametricMapStorage"), mapDump);
        assertTrue(mapDump.contains("(0008,1160) IS [4]"), "the source frame:\n" + mapDump);
        assertTrue(mapDump.contains("(7fe0,0008) OF"), "float pixel data:\n" + mapDump);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    private static void requireTool(String tool) {
        boolean present = false;
        for (String folder : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            present |= Files.isExecutable(Path.of(folder, tool));
        }
        if (!present && "true".equals(System.getenv("CI"))) {
            fail(tool + " is missing; .ci/run installs it (Debian packages dcmtk and dicom3tools)");
        }
        assumeTrue(present, tool + " is not installed (apt-get install dcmtk dicom3tools): skipped");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new String(output, StandardCharsets.ISO_8859_1);
    }
}
