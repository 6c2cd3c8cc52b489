/**
 * The revision graph: migrations linked to their parents and children, the problems that make a
 * set of migrations invalid, the targets a user may name, and the plans that reach them.
 *
 * <p>Everything here is pure logic over {@link io.fhirmig.graph.Revision} values: no FHIR, no
 * Groovy, no printing. Failures a user must act on are thrown as
 * {@link io.fhirmig.api.FhirmigException} ({@code USAGE} for a bad target,
 * {@code INVALID_MIGRATIONS} for a broken graph or a server head that no script declares).
 */
package io.fhirmig.graph;
