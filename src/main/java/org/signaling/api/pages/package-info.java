/**
 * The browser pages the service serves: the supervisor dashboard ({@code /}) and the agent softphone
 * ({@code /agent}), static HTML and the JavaScript bundled at build time ({@code /assets/**}), plus what the softphone
 * needs to reach Kamailio ({@code GET /agent/config.json}). None of it holds data or needs a credential; the API calls
 * the pages make are authenticated like any client's.
 */
@ApplicationModule(allowedDependencies = { "call", "kamailio" })
@NullMarked
package org.signaling.api.pages;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
