/**
 * {@code fhirmig verify}: runs migrations on a scratch server loaded with fixtures and proves each
 * idempotent, reversible and repeatable by comparing snapshots of the server's resources. It sits
 * between the entry point and the runner ({@code API -> verify -> run}): it calls scripts through
 * {@link io.fhirmig.run.ScriptCall}, as a run does, but records no state and takes no lock.
 */
package io.fhirmig.verify;
