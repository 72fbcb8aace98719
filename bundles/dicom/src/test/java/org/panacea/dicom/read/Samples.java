package org.panacea.dicom.read;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The real DICOM files under {@code src/test/resources/dicom} and their pydicom reference (see the README there). */
final class Samples {

    private Samples() {
    }

    static Path path(String name) {
        try {
            return Paths.get(Samples.class.getResource("/dicom/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every {@code .dcm} sample, readable or not. */
    static List<String> all() {
        try (Stream<Path> files = Files.list(path("README.md").getParent())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".dcm")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Rows of a reference table, header first, split at tabs. */
    static List<String[]> table(String name) {
        try (InputStream in = Samples.class.getResourceAsStream("/dicom/" + name)) {
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
                if (!line.isEmpty()) {
                    rows.add(line.split("\t", -1));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
