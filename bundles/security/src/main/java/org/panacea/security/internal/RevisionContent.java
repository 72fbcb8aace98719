package org.panacea.security.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.osgi.framework.Bundle;

/**
 * Copies the content of a bundle's current revision, the bytes the framework installed and will load classes from,
 * into a JAR file whose signature can then be checked. Reading {@link Bundle#getEntry} rather than the bundle's
 * location matters: {@code bundle:update ID URL} installs whatever that URL gave at that moment, and the location
 * string still names the original, so verifying the location would vouch for bytes that are not the ones running.
 * <p>
 * Under Felix the framework's own copy of the revision is verified as it is ({@link #cachedJar}). Otherwise only the
 * bundle's own entries are read ({@link Bundle#getEntryPaths}), never those of attached fragments, and it
 * works on an unresolved bundle, so the gate can judge before the resolver lets the bundle load anything.
 */
final class RevisionContent {

    private RevisionContent() {
    }

    /**
     * The JAR file the framework keeps for the bundle's current revision, when it keeps one in its bundle cache (Felix:
     * {@code <cache>/bundle<id>/version<refresh>.<revision>/bundle.jar}, the highest revision being the current one):
     * the very bytes classes are loaded from. Empty under another framework, or when the revision is not a JAR file
     * (a directory bundle), where {@link #copy} rebuilds the content from the bundle's entries instead.
     */
    static java.util.Optional<Path> cachedJar(Bundle bundle) {
        java.io.File data;
        try {
            data = bundle.getDataFile("");
        } catch (IllegalStateException | SecurityException e) {
            return java.util.Optional.empty();
        }
        if (data == null || data.getParentFile() == null) {
            return java.util.Optional.empty();
        }
        java.io.File[] revisions = data.getParentFile().listFiles(
                file -> file.isDirectory() && file.getName().matches("version\\d+\\.\\d+"));
        if (revisions == null || revisions.length == 0) {
            return java.util.Optional.empty();
        }
        java.io.File newest = java.util.Arrays.stream(revisions)
                .max(java.util.Comparator.comparingLong(RevisionContent::revisionNumber)).orElseThrow();
        Path jar = newest.toPath().resolve("bundle.jar");
        return Files.isRegularFile(jar) ? java.util.Optional.of(jar) : java.util.Optional.empty();
    }

    private static long revisionNumber(java.io.File directory) {
        String name = directory.getName();
        return Long.parseLong(name.substring(name.indexOf('.') + 1));
    }

    /** Writes the revision's entries to {@code jar}, manifest and signature files first as {@code jarsigner} does. */
    static void copy(Bundle bundle, Path jar) throws IOException {
        List<String> paths = new ArrayList<>();
        collect(bundle, "/", paths);
        paths.sort(RevisionContent::signatureFilesFirst);
        byte[] buffer = new byte[8192];
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(file)) {
            for (String path : paths) {
                URL entry = bundle.getEntry(path);
                if (entry == null) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(path));
                if (!path.endsWith("/")) {
                    try (InputStream in = entry.openStream()) {
                        for (int n; (n = in.read(buffer)) != -1;) {
                            zip.write(buffer, 0, n);
                        }
                    }
                }
                zip.closeEntry();
            }
        }
    }

    private static void collect(Bundle bundle, String folder, List<String> paths) {
        Enumeration<String> children = bundle.getEntryPaths(folder);
        if (children == null) {
            return;
        }
        while (children.hasMoreElements()) {
            String path = children.nextElement();
            String relative = path.startsWith("/") ? path.substring(1) : path;
            if (relative.isEmpty()) {
                continue;
            }
            paths.add(relative);
            if (relative.endsWith("/")) {
                collect(bundle, relative, paths);
            }
        }
    }

    private static int signatureFilesFirst(String a, String b) {
        int rank = Integer.compare(rank(a), rank(b));
        return rank != 0 ? rank : a.compareTo(b);
    }

    private static int rank(String path) {
        String upper = path.toUpperCase(Locale.ROOT);
        if (upper.equals("META-INF/")) {
            return 0;
        }
        if (upper.equals("META-INF/MANIFEST.MF")) {
            return 1;
        }
        if (upper.startsWith("META-INF/") && upper.indexOf('/', 9) < 0) {
            return 2;
        }
        return 3;
    }
}
