package org.panacea.analysis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.ImportFolder;

/**
 * The import folder as its contract describes it, over a test's own folder: a path is resolved against the folder,
 * normalised, and refused when it leaves the folder, passes through a symbolic link or names nothing; counts every
 * path it is asked about, so a test can see that a refused caller's file was never looked at.
 */
public final class FolderOfFiles implements ImportFolder {

    private final Path folder;
    /** How many paths were resolved or opened. */
    public final AtomicInteger touched = new AtomicInteger();

    public FolderOfFiles(Path folder) {
        try {
            this.folder = folder.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public Path resolve(String path) {
        touched.incrementAndGet();
        if (path == null || path.isBlank()) {
            throw refused(path, "names no file");
        }
        Path given;
        try {
            given = Path.of(path);
        } catch (InvalidPathException e) {
            throw refused(path, "is not a path");
        }
        Path candidate = (given.isAbsolute() ? given : folder.resolve(given)).normalize();
        if (!candidate.startsWith(folder)) {
            throw refused(path, "leaves the import folder");
        }
        Path walked = folder;
        for (Path part : folder.relativize(candidate)) {
            walked = walked.resolve(part);
            if (Files.isSymbolicLink(walked)) {
                throw refused(path, "passes through a symbolic link");
            }
        }
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(path, "names no file in the import folder");
        }
        return candidate;
    }

    @Override
    public InputStream open(String path) throws IOException {
        Path file = resolve(path);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(path, "is not a regular file");
        }
        return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    }

    private static FileRefusedException refused(String path, String rule) {
        return new FileRefusedException("'" + path + "' " + rule + " (files are read from the import folder only)");
    }
}
