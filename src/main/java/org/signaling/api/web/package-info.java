/**
 * Cross-cutting HTTP: the one error contract ({@code {"error": "..."}} on every failure), {@code GET /api/health},
 * and the request id carried through logs.
 */
@NullMarked
package org.signaling.api.web;

import org.jspecify.annotations.NullMarked;
