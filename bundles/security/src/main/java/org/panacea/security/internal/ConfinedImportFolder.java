package org.panacea.security.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.panacea.api.security.FileRefusedException;
import org.panacea.api.security.ImportFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import folder: the only place on the server from which a command or endpoint reads a file a user names.
 * <p>
 * A path is refused before anything about it is looked up when, made absolute and normalised, it leaves the folder,
 * so the answer never tells whether a file exists elsewhere. Inside, every component from the folder down is checked
 * not to be a symbolic link (a link placed in the folder could otherwise point anywhere), and files are opened with
 * {@code NOFOLLOW_LINKS}, so a link swapped in after the check fails to open instead of being followed. Messages name
 * the path as given and the rule; nothing read from any file ever reaches them.
 */
@Component(service = ImportFolder.class, configurationPid = "org.panacea.security")
public class ConfinedImportFolder implements ImportFolder {

    @ObjectClassDefinition(name = "Panacea import folder")
    public @interface Config {
        @AttributeDefinition(description = "The only folder from which commands read files users name; empty means "
                + "${karaf.data}/import")
        String import_folder() default "";
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConfinedImportFolder.class);

    private final Path folder;

    @Activate
    public ConfinedImportFolder(Config config) {
        this(Path.of(config.import_folder().isEmpty()
                ? System.getProperty("karaf.data", "data") + "/import" : config.import_folder()));
    }

    public ConfinedImportFolder(Path configured) {
        try {
            // The administrator's own choice may be a link (a mounted share): resolve it once, here.
            this.folder = Files.createDirectories(configured.toAbsolutePath().normalize()).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("The import folder " + configured + " cannot be created", e);
        }
        LOG.info("Import folder: {} (commands read files from here only)", folder);
    }

    @Override
    public Path folder() {
        return folder;
    }

    @Override
    public Path resolve(String path) {
        if (path == null || path.isBlank()) {
            throw new FileRefusedException("No file named: give a path inside the import folder " + folder);
        }
        Path target;
        try {
            Path given = Path.of(path.strip());
            target = (given.isAbsolute() ? given : folder.resolve(given)).normalize();
        } catch (InvalidPathException e) {
            throw new FileRefusedException("'" + path + "' is not a valid path");
        }
        if (!target.startsWith(folder)) {
            throw new FileRefusedException("'" + path + "' is outside the import folder " + folder
                    + ": files are read from there only");
        }
        Path walked = folder;
        for (Path name : folder.relativize(target)) {
            walked = walked.resolve(name);
            if (Files.isSymbolicLink(walked)) {
                throw new FileRefusedException("'" + path + "' passes through a symbolic link ("
                        + folder.relativize(walked) + "): links in the import folder are not followed");
            }
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileRefusedException("'" + path + "' does not exist in the import folder " + folder);
        }
        return target;
    }

    @Override
    public InputStream open(String path) throws IOException {
        Path file = resolve(path);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileRefusedException("'" + path + "' is not a regular file");
        }
        return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
    }
}
