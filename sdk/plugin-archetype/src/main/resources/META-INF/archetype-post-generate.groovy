// Runs after the templates are written: keeps the chosen flavour's example and tests, removes the others', and
// writes the .gitignore (a dot file would be dropped from the archetype jar by the resources plugin).
import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

Path project = Paths.get(request.outputDirectory, request.artifactId)

def flavour = request.properties.get('flavour')
if (!(flavour in ['imaging', 'prediction', 'onnx'])) {
    // Batch mode does not apply the descriptor's validationRegex: refuse here, leaving nothing behind.
    project.toFile().deleteDir()
    throw new IllegalArgumentException("flavour must be 'imaging', 'prediction' or 'onnx', was '" + flavour + "'")
}
String packagePath = request.getPackage().replace('.', '/')
Path main = project.resolve('src/main/java').resolve(packagePath)
Path test = project.resolve('src/test/java').resolve(packagePath)
def codeExamples = ['imaging': 'BoxMeanFilter', 'prediction': 'QsofaScore']
codeExamples.each { kind, example ->
    if (kind != flavour) {
        Files.delete(main.resolve(example + '.java'))
        Files.delete(test.resolve(example + 'Test.java'))
        Files.delete(test.resolve(example + 'ContractTest.java'))
    }
}
if (flavour == 'onnx') {
    // A model-only plugin has no code: only the test kit's checks of its models remain in Java.
    project.resolve('src/main/java').toFile().deleteDir()
} else {
    Files.delete(test.resolve('ModelsContractTest.java'))
    project.resolve('src/main/resources').toFile().deleteDir()
    project.resolve('python').toFile().deleteDir()
}

Files.writeString(project.resolve('.gitignore'), '''target/
# Signing keys and their passwords never enter the repository.
*.p12
*.pfx
*.jks
*.bcfks
''')
