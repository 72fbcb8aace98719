package org.panacea.audit.backup;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The folder backups are written into, and the only place they go: a backup is a sub-folder named by a plain name
 * (letters, digits, '.', '_', '-', starting with a letter or digit, no path), never a path, so no name reaches outside
 * the folder; an existing backup is never overwritten, and a symbolic link in the way is refused rather than followed.
 */
public final class BackupFolder {

    static final String PARTIAL_SUFFIX = ".partial";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
    private static final DateTimeFormatter DEFAULT_NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final Path folder;

    /**
     * Creates the folder when missing.
     *
     * @throws IOException when it cannot be created, or is (or lies under) a symbolic link
     */
    public BackupFolder(Path configured) throws IOException {
        Path absolute = configured.toAbsolutePath().normalize();
        Files.createDirectories(absolute);
        if (Files.isSymbolicLink(absolute)) {
            throw new IOException("The backup folder " + absolute + " is a symbolic link: configure its real path");
        }
        this.folder = absolute.toRealPath();
    }

    public Path path() {
        return folder;
    }

    /** A name for a backup taken at {@code time}: {@code yyyyMMdd-HHmmss} in UTC. */
    static String defaultName(ZonedDateTime time) {
        return DEFAULT_NAME.format(time.withZoneSameInstant(ZoneOffset.UTC));
    }

    /**
     * The folder a backup of that name goes to, which must not exist yet.
     *
     * @throws IllegalArgumentException when the name is not a plain name, or a backup of that name exists
     */
    Path target(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.endsWith(PARTIAL_SUFFIX)) {
            throw new IllegalArgumentException("A backup name is 1 to 64 letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit and not ending in " + PARTIAL_SUFFIX + " (a name, not a path): '"
                    + name + "'");
        }
        Path target = folder.resolve(name).normalize();
        if (!folder.equals(target.getParent())) {
            throw new IllegalArgumentException("The backup name '" + name + "' leaves the backup folder");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalArgumentException("A backup named " + name + " exists already in " + folder
                    + ": choose another --name");
        }
        return target;
    }

    /**
     * The folder the backup is written into before it is renamed to {@code target}: emptied of what an interrupted
     * earlier attempt left (a symbolic link is removed, never followed), then created, for its owner only.
     */
    static Path freshPartial(Path target) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + PARTIAL_SUFFIX);
        deleteTree(partial);
        if (partial.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            // The backup holds every record: only the platform's own user may enter it.
            return Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        }
        return Files.createDirectory(partial);
    }

    /** Deletes a file or a folder with all it holds, without following symbolic links; absent is fine. */
    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(root) || !Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(root);
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
