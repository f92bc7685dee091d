/**
 * Internals of the Asterisk adapter: the AMI sessions, one per node
 * ({@link org.signaling.api.asterisk.internal.AmiConnections}), their health indicator and their metrics. Call control
 * builds on them ({@link org.signaling.api.asterisk.internal.AmiPbx}).
 */
@NullMarked
package org.signaling.api.asterisk.internal;

import org.jspecify.annotations.NullMarked;
