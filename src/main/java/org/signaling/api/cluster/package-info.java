/**
 * The cluster: which replica leads the single-writer duties ({@link org.signaling.api.shared.Leadership}), elected
 * in the shared database with Spring Integration's JDBC lock registry.
 */
@ApplicationModule(allowedDependencies = { "shared" })
@NullMarked
package org.signaling.api.cluster;

import org.jspecify.annotations.NullMarked;
import org.springframework.modulith.ApplicationModule;
