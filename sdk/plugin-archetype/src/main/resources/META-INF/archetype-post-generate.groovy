// Runs after the templates are written: keeps the chosen flavour's example and tests, removes the other's, and
// writes the .gitignore (a dot file would be dropped from the archetype jar by the resources plugin).
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

Path project = Paths.get(request.outputDirectory, request.artifactId)

def flavour = request.properties.get('flavour')
if (!(flavour in ['imaging', 'prediction'])) {
    // Batch mode does not apply the descriptor's validationRegex: refuse here, leaving nothing behind.
    project.toFile().deleteDir()
    throw new IllegalArgumentException("flavour must be 'imaging' or 'prediction', was '" + flavour + "'")
}
String packagePath = request.getPackage().replace('.', '/')
Path main = project.resolve('src/main/java').resolve(packagePath)
Path test = project.resolve('src/test/java').resolve(packagePath)
def otherFlavour = flavour == 'imaging' ? 'QsofaScore' : 'BoxMeanFilter'
Files.delete(main.resolve(otherFlavour + '.java'))
Files.delete(test.resolve(otherFlavour + 'Test.java'))
Files.delete(test.resolve(otherFlavour + 'ContractTest.java'))

Files.writeString(project.resolve('.gitignore'), '''target/
# Signing keys and their passwords never enter the repository.
*.p12
*.pfx
*.jks
*.bcfks
''')
