/**
 * Types shared by every module: backend health reporting and the backend-unavailable failure.
 */
@ApplicationModule(allowedDependencies = {})
@NullMarked
package org.signaling.api.shared;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
