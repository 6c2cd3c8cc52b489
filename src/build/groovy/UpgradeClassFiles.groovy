// Run by the build (gmavenplus, in the package phase, after the runtime libraries are copied to
// target/lib): rewrites the classes of the libraries named in the pom's fhirmig.upgradeClassFiles that
// are older than Java 6 (class-file version < 50) as Java 8 class files, with the stack-map frames
// that version carries. The JVM's class-data-sharing archive, which the launcher prepares once and
// which makes every start faster, cannot hold a class older than Java 6: picocli, which every command
// starts with, is built for Java 5, so its 200-odd classes were read from its jar and checked by the
// old verifier on every start (a sixth of `fhirmig --version`).
//
// Only the class-file version and the frames change; the code is the same. A class whose frames
// cannot be computed (a type it uses is not on the classpath) is kept as it was, as are signed jars.
// A jar with nothing older than Java 6 is left alone, so running this twice changes nothing.
import groovy.transform.Field
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import java.util.zip.ZipEntry
import java.util.zip.ZipFile
import java.util.zip.ZipOutputStream
import org.objectweb.asm.ClassReader
import org.objectweb.asm.ClassVisitor
import org.objectweb.asm.ClassWriter
import org.objectweb.asm.MethodVisitor
import org.objectweb.asm.Opcodes
import org.objectweb.asm.commons.JSRInlinerAdapter

@Field final int JAVA_6 = 50

File lib = new File(project.build.directory, 'lib')
List<String> artifactIds = project.properties.getProperty('fhirmig.upgradeClassFiles').split(',')*.trim()
// The project's own artifacts name the jars: target/lib may still hold an older version's jar.
List<File> jars = project.artifacts.findAll { it.artifactId in artifactIds }.collect { new File(lib, it.file.name) }.sort()
if (jars.size() != artifactIds.size() || !jars.every { it.isFile() }) {
    throw new IllegalStateException("expected a jar in ${lib} for each of ${artifactIds}, found ${jars*.name}")
}
// The frames need the common superclass of two types; every runtime library may hold one.
URLClassLoader hierarchy = new URLClassLoader(lib.listFiles().collect { it.toURI().toURL() } as URL[],
        ClassLoader.platformClassLoader)
try {
    jars.each { upgrade(it, hierarchy) }
} finally {
    hierarchy.close()
}

int classVersion(byte[] bytes) {
    ((bytes[6] & 0xff) << 8) | (bytes[7] & 0xff)
}

boolean upgradable(ZipEntry entry) {
    entry.name.endsWith('.class') && !entry.name.startsWith('META-INF/')
}

void upgrade(File jar, ClassLoader hierarchy) {
    int upgraded = 0
    List<String> kept = []
    File rewritten = new File(jar.parentFile, jar.name + '.tmp')
    new ZipFile(jar).withCloseable { zip ->
        List<ZipEntry> entries = zip.entries().toList()
        if (entries.any { it.name ==~ /META-INF\/[^\/]+\.(SF|RSA|DSA|EC)/ }) {
            log.info("${jar.name}: signed, left as it is")
            return
        }
        if (!entries.any { upgradable(it) && classVersion(zip.getInputStream(it).withCloseable { it.readNBytes(8) }) < JAVA_6 }) {
            return
        }
        new ZipOutputStream(new FileOutputStream(rewritten)).withCloseable { out ->
            entries.each { ZipEntry entry ->
                byte[] bytes = zip.getInputStream(entry).withCloseable { it.readAllBytes() }
                if (upgradable(entry) && classVersion(bytes) < JAVA_6) {
                    try {
                        bytes = java8(bytes, hierarchy)
                        upgraded++
                    } catch (Exception | LinkageError e) {
                        kept << "${entry.name} (${e})"
                    }
                }
                ZipEntry copy = new ZipEntry(entry.name)
                copy.time = entry.time
                out.putNextEntry(copy)
                out.write(bytes)
                out.closeEntry()
            }
        }
    }
    if (rewritten.exists()) {
        Files.move(rewritten.toPath(), jar.toPath(), StandardCopyOption.REPLACE_EXISTING)
        log.info("${jar.name}: ${upgraded} classes upgraded to Java 8 class files" +
                (kept ? "; kept as they were: ${kept.join(', ')}" : ''))
    }
}

byte[] java8(byte[] bytes, ClassLoader hierarchy) {
    ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
        @Override
        protected ClassLoader getClassLoader() {
            hierarchy
        }
    }
    new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9, writer) {
        @Override
        void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
            super.visit(Opcodes.V1_8, access, name, signature, superName, interfaces)
        }

        @Override
        MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            // Java 6 and later class files may not hold subroutines (jsr/ret), which old compilers made of finally blocks.
            new JSRInlinerAdapter(super.visitMethod(access, name, descriptor, signature, exceptions),
                    access, name, descriptor, signature, exceptions)
        }
    }, 0)
    writer.toByteArray()
}
