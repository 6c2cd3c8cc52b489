/**
 * New migrations: {@link io.fhirmig.generate.Generator} renders the migration template into the
 * next numbered script of a versions folder, under the naming rules that keep every file inside
 * that folder; {@link io.fhirmig.generate.MigrationTemplate} finds the template (a project's own,
 * or the one shipped in the jar); {@link io.fhirmig.generate.ProjectInit} lays out a new project.
 *
 * <p>It uses the graph (to check revision ids and parents) and the script package (to check that
 * what it renders loads as a migration), and nothing of the server: the command line decides which
 * head(s) a new migration follows.
 */
package io.fhirmig.generate;
