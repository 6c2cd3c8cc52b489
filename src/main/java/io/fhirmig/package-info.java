/**
 * fhirmig's public API: versioned, reversible data migrations for a FHIR server, run from Java code.
 *
 * <p>{@link io.fhirmig.Fhirmig#configure()} starts a configuration; {@link io.fhirmig.Fhirmig.Builder#load()}
 * gives a {@link io.fhirmig.Fhirmig} whose calls ({@code upgrade}, {@code downgrade}, {@code current},
 * {@code history}, {@code heads}, {@code check}, {@code stamp}, {@code generate}) return the records of
 * this package and throw {@link io.fhirmig.api.FhirmigException}. The packages below this one are
 * fhirmig's engine and command line; they may change without notice.
 */
package io.fhirmig;
