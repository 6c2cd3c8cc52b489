/**
 * The floor of fhirmig: what every other package needs and that needs none of them, such as
 * {@link io.fhirmig.base.FhirmigException}, whose kind the command line turns into an exit code.
 * Part of the public API, beside {@code io.fhirmig}.
 */
package io.fhirmig.base;
