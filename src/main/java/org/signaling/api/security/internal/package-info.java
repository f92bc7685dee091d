/** The filter chain and the filters, authentication providers and handlers it is built from. */
@NullMarked
package org.signaling.api.security.internal;

import org.jspecify.annotations.NullMarked;
