/** The leader election: a lease row in {@code cluster_lock}, renewed by the leader, taken over once it lapses. */
@NullMarked
package org.signaling.api.cluster.internal;

import org.jspecify.annotations.NullMarked;
