package io.fhirmig.generate;

import groovy.text.StreamingTemplateEngine;
import groovy.text.Template;
import io.fhirmig.api.FhirmigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The template new migrations are rendered from, and where it came from: a project's own
 * {@code templates/migration.groovy.template}, or the one built into fhirmig.
 *
 * <p>Rendered with Groovy's {@link StreamingTemplateEngine}: {@code ${...}} inserts a value and
 * {@code <% ... %>} runs code, while backslashes stay as they are (the simple engine would read
 * {@code \n} or {@code \d} in a script's code as escapes), and a template error names its line.
 */
public final class MigrationTemplate {

    /** The template's file name, in a project's templates folder and in the jar. */
    public static final String FILE_NAME = "migration.groovy.template";

    /** How the template built into fhirmig is named in results and the audit log. */
    public static final String BUILT_IN = "built-in";

    private static final String RESOURCE = "/io/fhirmig/generate/" + FILE_NAME;

    private final String source;
    private final String text;

    private MigrationTemplate(String source, String text) {
        this.source = Objects.requireNonNull(source, "source");
        this.text = Objects.requireNonNull(text, "text");
    }

    /**
     * A template from text.
     *
     * @param source how to name it in messages, e.g. its path
     * @param text the template's text
     * @return the template
     */
    public static MigrationTemplate of(String source, String text) {
        return new MigrationTemplate(source, text);
    }

    /**
     * The template built into fhirmig, the same text as {@code templates/migration.groovy.template}
     * of fhirmig's repository.
     *
     * @return the built-in template
     */
    public static MigrationTemplate builtIn() {
        return new MigrationTemplate(BUILT_IN, builtInText());
    }

    /**
     * The built-in template's text, e.g. for {@code fhirmig init} to copy into a new project.
     *
     * @return the text
     */
    public static String builtInText() {
        try (InputStream in = MigrationTemplate.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the built-in template " + RESOURCE + " is missing from fhirmig's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Finds the template to use: {@code migration.groovy.template} in the templates folder when it
     * exists there, else the built-in one.
     *
     * @param templatesDir the project's templates folder
     * @param required whether the folder was configured explicitly, so that a missing template is
     *     an error rather than a reason to use the built-in one
     * @return the template
     * @throws FhirmigException ({@code USAGE}) when a required template is missing, or a template
     *     file cannot be read
     */
    public static MigrationTemplate find(Path templatesDir, boolean required) {
        Path file = templatesDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            try {
                return new MigrationTemplate(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new FhirmigException(FhirmigException.Kind.USAGE,
                        "cannot read the template " + file + ": " + e.getMessage(), e);
            }
        }
        if (required) {
            throw new FhirmigException(FhirmigException.Kind.USAGE, "the templates folder " + templatesDir
                    + " has no " + FILE_NAME + " (copy one there with `fhirmig init`, or leave the setting"
                    + " unset to use the built-in template)");
        }
        return builtIn();
    }

    /** Where the template came from: a file path, or {@link #BUILT_IN}. */
    public String source() {
        return source;
    }

    /** The template's text. */
    public String text() {
        return text;
    }

    /**
     * Renders the template.
     *
     * @param values the values the template sees
     * @return the rendered text
     * @throws FhirmigException ({@code USAGE}) naming the template when it does not parse or fails
     *     while rendering (e.g. it names a value that does not exist)
     */
    String render(Map<String, ?> values) {
        Template template;
        try {
            template = new StreamingTemplateEngine(MigrationTemplate.class.getClassLoader()).createTemplate(text);
        } catch (Exception e) {
            throw broken("does not parse", e, false);
        }
        try {
            return template.make(values).toString();
        } catch (Exception e) {
            // Groovy throws the checked TemplateExecutionException (with the template's line) unchecked.
            throw broken("fails while rendering", e, true);
        }
    }

    /** The error of a broken template; for a rendering error, the cause says what failed (the parser's is noise). */
    private FhirmigException broken(String what, Exception e, boolean withCause) {
        // The streaming engine marks the end of the template with U+FFFF in its excerpt.
        String reason = e.getMessage() != null ? e.getMessage().replace("\uFFFF", "").strip() : e.getClass().getSimpleName();
        Throwable cause = e.getCause();
        if (withCause && cause != null && cause != e && cause.getMessage() != null && !reason.contains(cause.getMessage())) {
            reason = cause.getMessage().strip() + "\n" + reason;
        }
        return new FhirmigException(FhirmigException.Kind.USAGE,
                "the template " + source + " " + what + ": " + reason, e);
    }
}
