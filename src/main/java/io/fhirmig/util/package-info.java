/**
 * Small helpers that every layer may use and that use nothing of fhirmig's but its API types: files
 * that only their owner may read ({@link io.fhirmig.util.PrivateFiles}), and text from a server made
 * safe for a terminal ({@link io.fhirmig.api.ServerText}).
 */
package io.fhirmig.util;
