/** The JDBC event log, the event stream, and the watch on backends. */
@NullMarked
package org.signaling.api.events.internal;

import org.jspecify.annotations.NullMarked;
