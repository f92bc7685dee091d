package org.signaling.api.shared;

/**
 * This replica became the leader ({@code leader} true) or stopped being it. A duty starts its term from the database
 * and from the backends (what was announced last, what is open), never from what it remembered of an earlier term.
 */
public record LeadershipChanged(boolean leader) {
}
