/**
 * The project's background embedded server, as the command line uses it: found through the data
 * folder's server file, started as a detached {@code fhirmig serve} when none runs (one at a time,
 * under a lock file), replaced when it is dead, silent or of another build, and stopped on request.
 * Only processes and loopback HTTP: the server's own classes run in the other process.
 */
package io.fhirmig.fhir.background;
