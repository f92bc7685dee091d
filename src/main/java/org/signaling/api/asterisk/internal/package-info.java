/**
 * Internals of the Asterisk adapter: the AMI session owner ({@link org.signaling.api.asterisk.internal.AmiConnection}),
 * its health indicator and its metrics. Call control builds on {@code AmiConnection}.
 */
@NullMarked
package org.signaling.api.asterisk.internal;

import org.jspecify.annotations.NullMarked;
