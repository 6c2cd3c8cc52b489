/**
 * The public types of fhirmig's API besides its entry point {@code io.fhirmig.Fhirmig}: the results
 * it returns, {@link io.fhirmig.api.FhirmigException} (whose kind the command line turns into an exit
 * code), and the progress listener. They sit below every other package, so that the engine can make
 * and throw them without depending on the entry point.
 */
package io.fhirmig.api;
