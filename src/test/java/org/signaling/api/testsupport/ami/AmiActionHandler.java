package org.signaling.api.testsupport.ami;

import java.io.IOException;

/**
 * Answers one AMI action on behalf of {@link AmiServerDouble}. It runs on the session's own thread, so actions of one
 * session are handled one after another in the order received, as Asterisk does. It may answer through
 * {@link AmiSession#respond}, push events with {@link AmiSession#send}, or close the session.
 */
@FunctionalInterface
public interface AmiActionHandler {

	void handle(AmiSession session, AmiMessage action) throws IOException;

}
