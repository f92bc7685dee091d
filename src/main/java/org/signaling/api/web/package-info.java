/**
 * Cross-cutting HTTP: the one error contract ({@code {"error": "..."}} on every failure), {@code GET /api/health},
 * and the request id carried through logs.
 */
@ApplicationModule(allowedDependencies = { "shared" })
@NullMarked
package org.signaling.api.web;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
